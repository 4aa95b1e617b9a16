import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SimParamsSchema, type SimParamsInput } from '../../../shared/params';
import type { RunResult } from '../../../shared/results';
import {
  EngineCancelled,
  lengthsAt,
  listAt,
  presetParams,
  presets,
  simulate,
} from '../../../main/engine/index';

const small = (over: Partial<SimParamsInput['workload']> = {}, seed = 3): SimParamsInput => ({
  workload: {
    pcpus: 8,
    domains: 16,
    vcpusPerDomain: 4,
    piFraction: 0.75,
    durationNs: 200e6,
    domainChurnPerSec: 50,
    hotplug: [
      { tNs: 50e6, pcpu: 2, online: false },
      { tNs: 120e6, pcpu: 2, online: true },
    ],
    placement: 'random',
    ...over,
  },
  policy: { policy: 'random-under-bound', K: 2, fixup: 'random' },
  seed,
  buckets: 256,
});

function bytes(r: RunResult): string {
  const parts = [JSON.stringify(r.summary), JSON.stringify(r.timeline)];
  for (const k of Object.keys(r.series).sort()) {
    const a = r.series[k];
    parts.push(k, Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64'));
  }
  return parts.join('|');
}

test('determinism: the same parameters and seed give byte-identical results', () => {
  const a = simulate(SimParamsSchema.parse(small()));
  const b = simulate(SimParamsSchema.parse(small()));
  assert.equal(bytes(a), bytes(b));
  const c = simulate(SimParamsSchema.parse(small({}, 4)));
  assert.notEqual(bytes(a), bytes(c));
  // The run exercised everything: churn, hotplug fix-ups, walks.
  const s = a.summary;
  assert.ok(s.opCounts.vcpu_destroy! > 0 && s.fixupMoves >= 0 && s.wakeupInterrupts > 100);
  assert.equal(s.opCounts.pcpu_offline, 1);
  assert.equal(s.opCounts.pcpu_online, 1);
});

test('series outputs are consistent with the summary', () => {
  const r = simulate(SimParamsSchema.parse(small()));
  const { buckets } = r.timeline;
  const P = r.summary.pcpus;
  const max = r.series['len.max'];
  const last = r.series['len.last'];
  assert.equal(max.length, P * buckets);
  for (let p = 0; p < P; p++) {
    let m = 0;
    for (let b = 0; b < buckets; b++) m = Math.max(m, max[p * buckets + b]);
    assert.equal(m, r.summary.perPcpu[p].maxLength);
    assert.equal(last[p * buckets + buckets - 1], r.summary.perPcpu[p].finalLength);
  }
  assert.ok(r.timeline.t0Ns + buckets * r.timeline.bucketNs > r.summary.endNs);
  assert.equal(r.series.h[buckets - 1], r.summary.H);
  assert.equal(r.series.bound[buckets - 1], r.summary.bound);
  const end = lengthsAt(r, r.summary.endNs);
  assert.deepEqual(
    end.lengths,
    r.summary.perPcpu.map((p) => p.finalLength),
  );
  assert.equal(end.bound, r.summary.bound);
  let counts = 0;
  for (const c of r.series['walk.counts']) counts += c;
  assert.equal(counts, r.summary.wakeupInterrupts);
});

test('cancel stops the run with EngineCancelled; progress reports fractions', () => {
  const seen: number[] = [];
  let calls = 0;
  assert.throws(
    () =>
      simulate(SimParamsSchema.parse(small({ durationNs: 1e12 })), {
        progress: (f) => seen.push(f),
        cancelled: () => ++calls > 3,
      }),
    EngineCancelled,
  );
  assert.ok(seen.length >= 2 && seen.every((f) => f >= 0 && f <= 1));
});

test('presets: each has a name, a rationale and valid parameters', () => {
  const names = presets().map((p) => p.name);
  for (const n of [
    'seed-worst-case',
    'skylake-112-2to1',
    'skylake-112-8to1',
    'domain-churn',
    'hotplug',
  ])
    assert.ok(names.includes(n), n);
  for (const p of presets()) {
    assert.ok(p.rationale.length > 20);
    const parsed = SimParamsSchema.parse(p.params);
    assert.equal(parsed.preset, p.name);
  }
  const w = SimParamsSchema.parse(presetParams('seed-worst-case')).workload;
  assert.equal(w.domains * w.vcpusPerDomain, 4_194_304);
  assert.equal(w.pcpus, 112);
});

test('hotplug and domain-churn presets move the bound and re-home lists', () => {
  const churn = simulate(
    SimParamsSchema.parse({
      ...presetParams('domain-churn'),
      workload: { ...presetParams('domain-churn')!.workload, durationNs: 300e6 },
    }),
  );
  const bmin = Math.min(...churn.series['bound.min']);
  const bmax = Math.max(...churn.series.bound);
  assert.ok(bmax > bmin, `bound moves: ${bmin}..${bmax}`);
  const hot = simulate(SimParamsSchema.parse(presetParams('hotplug')));
  assert.ok(hot.summary.fixupMoves > 0);
  assert.equal(Math.min(...hot.series.online), 12);
  assert.equal(hot.summary.onlinePcpus, 16);
  // Lists at the moment pCPU 3 is offline are empty.
  assert.equal(listAt(hot, 250e6, 3, 0, 10).total, 0);
});
