/**
 * simulate -> export (defaults) -> import (defaults) gives back the run's own lists: per-pCPU
 * maxima, H over time, wakeup interrupts and entries walked, for every preset and every
 * reference script under upstream, series and least-loaded (hotplug and domain churn included),
 * and xenalyze reads every export.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScript, presetParams, presets, simulate } from '../../../main/engine/index';
import { columnsFromOps, importTrace, replayOps, writeTrace } from '../../../main/trace/index';
import { simulationOps } from '../../../main/trace/sim-ops';
import { SimParamsSchema, type PolicyConfigInput } from '../../../shared/params';
import type { RunResult } from '../../../shared/results';
import { OpCode } from '../../../shared/ops';
import type { OpColumns } from '../../../main/trace/op-columns';
import { findXenalyze } from '../../xenalyze';

const dir = mkdtempSync(join(tmpdir(), 'xpl-round-trip-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const CASES = join(import.meta.dirname, '..', '..', 'fixtures', 'model-cases');
const POLICIES = ['upstream', 'series', 'least-loaded'] as const;

/** Short versions of the presets (the seed's worst case with 16 domains instead of 32,768). */
const SHORT: Record<string, { durationNs: number; domains?: number }> = {
  'seed-worst-case': { durationNs: 8e6, domains: 16 },
  'skylake-112-2to1': { durationNs: 3e7 },
  'skylake-112-8to1': { durationNs: 2e7 },
  'domain-churn': { durationNs: 1.5e8 },
  hotplug: { durationNs: 1.05e9 },
};

/**
 * H as steps; changes less than 100 ns after the previous change are merged into its step (a
 * dump gives each op of one instant its own TSC cycle, so 8,192 creates at t = 0 span ~3 us).
 */
function hSteps(r: RunResult): [number, number][] {
  const t = r.series['log.h.t'] as Float64Array;
  const v = r.series['log.h.v'] as ArrayLike<number>;
  const out: [number, number][] = [];
  let prev = -Infinity;
  for (let i = 0; i < t.length; i++) {
    const last = out[out.length - 1];
    if (last && t[i] - prev < 100) last[1] = v[i];
    else out.push([t[i], v[i]]);
    prev = t[i];
  }
  return out.filter((s, i, a) => i === 0 || s[1] !== a[i - 1][1]);
}

const xenalyze = findXenalyze();

function checkXenalyze(file: string): void {
  if (!xenalyze) return;
  const r = spawnSync(xenalyze, ['--summary', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, `xenalyze exit ${r.status}: ${r.stderr.slice(-500)}`);
  assert.doesNotMatch(r.stdout + r.stderr, /FATAL/);
}

async function roundTrip(
  name: string,
  ops: OpColumns,
  policy: PolicyConfigInput,
  seed: number,
  run: RunResult,
): Promise<void> {
  const file = join(dir, `${name}.trace`);
  await writeTrace(file, ops, { placement: { policy, seed } });
  const imp = await importTrace(file);
  assert.deepEqual(imp.errors, []);
  assert.equal(imp.provenance.source, 'pi-records', name);
  const want = run.summary;
  const got = imp.result.summary;
  assert.deepEqual(
    got.perPcpu.map((p) => p.maxLength),
    want.perPcpu.map((p) => p.maxLength),
    `${name}: per-pCPU maxima`,
  );
  assert.equal(got.wakeupInterrupts, want.wakeupInterrupts, `${name}: wakeup interrupts`);
  assert.equal(got.walked, want.walked, `${name}: entries walked`);
  assert.equal(got.H, want.H, `${name}: final H`);
  const gotH = hSteps(imp.result);
  const wantH = hSteps(run);
  assert.deepEqual(
    gotH.map((s) => s[1]),
    wantH.map((s) => s[1]),
    `${name}: H steps`,
  );
  // Times: the import's clock is estimated from the dump (within 1e-4 here) and starts at the
  // first record.
  const t0 = wantH[0][0];
  gotH.forEach((s, i) =>
    assert.ok(Math.abs(s[0] + t0 - wantH[i][0]) <= 1e4 + 1e-4 * wantH[i][0], `${name}: H time`),
  );
  // The records alone say the same.
  assert.ok(imp.piRecords);
  assert.equal(imp.piRecords.wakeupInterrupts, want.wakeupInterrupts);
  assert.equal(imp.piRecords.walked, want.walked);
  assert.deepEqual(
    imp.piRecords.perPcpu.slice(0, want.pcpus).map((p) => p.maxLength),
    want.perPcpu.map((p) => p.maxLength),
  );
  checkXenalyze(file);
}

test('xenalyze is available (CI installs it)', (t) => {
  if (!xenalyze) {
    if (process.env.CI === 'true') assert.fail('xenalyze missing on CI');
    t.skip('xenalyze not installed (scripts/install-xenalyze.sh): exports not checked with it');
  }
});

for (const preset of presets()) {
  for (const policy of POLICIES) {
    test(`round trip: preset ${preset.name} under ${policy}`, async () => {
      const base = presetParams(preset.name)!;
      const short = SHORT[preset.name] ?? { durationNs: 2e7 };
      const params = SimParamsSchema.parse({
        ...base,
        buckets: 64,
        policy: { ...base.policy, policy },
        workload: {
          ...base.workload,
          durationNs: short.durationNs,
          ...(short.domains && { domains: short.domains }),
        },
      });
      const run = simulate(params);
      assert.ok(run.summary.maxListLength > 0, 'the run must build lists');
      await roundTrip(
        `${preset.name}-${policy}`,
        simulationOps(params),
        params.policy,
        params.seed,
        run,
      );
    });
  }
}

for (const script of readdirSync(CASES).filter((f) => f.endsWith('.jsonl'))) {
  for (const policy of POLICIES) {
    test(`round trip: script ${script} under ${policy}`, async () => {
      const ops = columnsFromOps(parseScript(readFileSync(join(CASES, script), 'utf8')));
      const pol = { policy, K: 1, fixup: 'cycle' as const };
      const run = replayOps(ops, pol);
      await roundTrip(`${script}-${policy}`, ops, pol, 1, run);
    });
  }
}

test("issue 9's minimal hotplug case: the vCPU of the offlined pCPU is switched out first", async () => {
  // 2 pCPUs, one domain of 2 vCPUs, pCPU 1 offline at 5 ms, upstream.
  const params = SimParamsSchema.parse({
    workload: {
      pcpus: 2,
      domains: 1,
      vcpusPerDomain: 2,
      durationNs: 2e7,
      hotplug: [{ tNs: 5e6, pcpu: 1, online: false }],
    },
    policy: { policy: 'upstream' },
    seed: 1,
    buckets: 64,
  });
  const ops = simulationOps(params);
  // The run moves a vCPU that was running on pCPU 1 to pCPU 0 after the offline.
  let moved = false;
  for (let i = 1, off = false; i < ops.code.length; i++) {
    if (ops.code[i] === OpCode.pcpu_offline) off = true;
    if (off && ops.code[i] === OpCode.run && ops.b[i] === 1 && ops.c[i] === 0) moved = true;
  }
  assert.ok(moved);
  await roundTrip('minimal-hotplug', ops, params.policy, params.seed, simulate(params));
});
