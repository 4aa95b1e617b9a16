/**
 * upstream under a random placement (shared/theory.ts): the predicted longest list of the whole
 * run against the engine's own runs of the presets with `placement: random`, and the departures
 * docs/engine.md states as findings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lengthsAt, presetParams, simulate } from '../../main/engine/index';
import { SimParamsSchema } from '../../shared/params';
import { isFinding, predictMaxList, theoryInputAtMax } from '../../shared/theory';

function upstreamRandom(preset: string, durationNs: number, seed: number) {
  const base = presetParams(preset)!;
  const p = SimParamsSchema.parse({
    ...base,
    seed,
    workload: { ...base.workload, placement: 'random', durationNs },
    policy: { policy: 'upstream' },
  });
  const r = simulate(p);
  const s = r.summary;
  const at = lengthsAt(r, s.maxListAtNs);
  const pred = predictMaxList(
    theoryInputAtMax({
      policy: p.policy,
      boundAtMax: s.boundAtMax,
      lengths: at.lengths,
      online: at.online,
      busiestPcpuBlocked: s.maxListLength,
      placement: 'random',
      blocks: s.opCounts.block,
    }),
  )!;
  return { measured: s.maxListLength, pred };
}

test('upstream, random placement: the run-long maximum of balls in bins predicts the longest list', () => {
  const cases: [string, number, number][] = [
    ['skylake-112-8to1', 1e9, 1],
    ['skylake-112-8to1', 1e9, 2],
    ['skylake-112-8to1', 1e9, 3],
    ['skylake-112-2to1', 1e9, 1],
    ['skylake-112-2to1', 1e9, 2],
    ['domain-churn', 5e8, 1],
    ['domain-churn', 5e8, 2],
  ];
  for (const [preset, dur, seed] of cases) {
    const { measured, pred } = upstreamRandom(preset, dur, seed);
    assert.match(pred.formula, /Bin\(m, 1\/n\)/);
    assert.equal(
      isFinding(pred, measured),
      false,
      `${preset} seed ${seed}: ${measured} vs ${pred.plugged}`,
    );
    // The one-instant figure alone would be a finding on the longer runs: the run is many throws.
    const instant = Number(/one instant: (\d+)/.exec(pred.plugged)![1]);
    assert.ok(instant < pred.predicted, `${preset}: ${pred.plugged}`);
  }
});

test('upstream, random placement under hotplug departs: an offline pCPU passes its draws on', () => {
  const { measured, pred } = upstreamRandom('hotplug', 1e9, 1);
  assert.equal(isFinding(pred, measured), true, `${measured} vs ${pred.plugged}`);
  assert.ok(measured > pred.predicted + pred.slack);
});

test('upstream, pcpu0 placement: every blocked vCPU on one list', () => {
  const p = predictMaxList({ policy: 'upstream', pcpus: 112, blocked: 441, placement: 'pcpu0' })!;
  assert.equal(p.predicted, 441);
  assert.equal(p.plugged, 'H_blocked = 441, all on pCPU 0');
  // Without a placement (a dump's own), the measured busiest pCPU as before.
  assert.equal(
    predictMaxList({ policy: 'upstream', pcpus: 4, blocked: 10, busiestPcpuBlocked: 7 })!.predicted,
    7,
  );
});
