import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { JobInfo } from '../../../shared/model';
import { FittedWorkloadSchema, TraceSimParamsSchema } from '../../../shared/fitted-workload';
import { dispatch } from '../../../main/api/dispatch';
import { createServices, type Services } from '../../../main/api/services';
import { simulateFitted } from '../../../main/engine/fitted-workload';
import { dumpPath } from '../trace/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'xpl-fit-handlers-'));
let services: Services;
before(() => {
  services = createServices({ dbPath: join(dir, 'fit.db'), host: 'cli', maxConcurrentJobs: 1 });
});
after(async () => {
  await services.close();
  rmSync(dir, { recursive: true, force: true });
});
const call = (channel: string, req: unknown) => dispatch(services.handlers, channel, req);

async function finished(jobId: string): Promise<JobInfo> {
  return new Promise((res) => services.events.on('job.done', (j) => j.jobId === jobId && res(j)));
}

async function imported(file: string, piDomains?: number[]): Promise<number> {
  const r = await call('trace.import', { path: dumpPath(file), cpuHz: 2445.414e6, piDomains });
  assert.ok(r.ok, JSON.stringify(r));
  const j = await finished((r.value as { jobId: string }).jobId);
  assert.equal(j.state, 'done', j.error ?? '');
  return j.experimentId!;
}

describe('trace.fit and trace.simulateFitted', () => {
  it('fit a stored trace, run it scaled as a job, save it with its fit and provenance', async () => {
    const traceId = await imported('pvh-idle-dom0-sched.bin');
    const fit = await call('trace.fit', { experimentId: traceId });
    assert.ok(fit.ok, JSON.stringify(fit));
    const f = FittedWorkloadSchema.parse(fit.value);
    assert.equal(f.source.experimentId, traceId);
    assert.deepEqual(
      f.domains.map((d) => d.dom),
      [1, 2],
    );
    const r = await call('trace.simulateFitted', {
      experimentId: traceId,
      domains: 128,
      pcpus: 16,
      durationNs: 5e8,
      policy: { policy: 'series', K: 2 },
      seed: 4,
    });
    assert.ok(r.ok, JSON.stringify(r));
    const j = await finished((r.value as { jobId: string }).jobId);
    assert.equal(j.state, 'done', j.error ?? '');
    const e = await call('experiments.get', { id: j.experimentId });
    assert.ok(e.ok);
    const rec = e.value as {
      kind: string;
      params: Record<string, unknown>;
      summary: { H: number; walked: number };
    };
    assert.equal(rec.kind, 'simulation');
    const { provenance, ...stored } = rec.params;
    assert.equal((provenance as { dump: { sha256: string } }).dump.sha256, f.source.sha256);
    const p = TraceSimParamsSchema.parse(stored);
    assert.equal(p.traceWorkload.pcpus, 16);
    const again = simulateFitted(p).summary;
    assert.equal(again.H, rec.summary.H);
    assert.equal(again.walked, rec.summary.walked);
    // "Re-run and verify" recomputes it from its stored params alone, byte for byte.
    const v = await call('experiments.verify', { id: j.experimentId });
    assert.ok(v.ok, JSON.stringify(v));
    const report = v.value as { outcome: string; method: string; differences: string[] };
    assert.equal(report.outcome, 'identical', report.differences.join('\n'));
    assert.equal(report.method, 'simulation of a fitted workload');
  });

  it('refuse bad input with a clear error and start nothing', async () => {
    const before = ((await call('jobs.list', {})) as { ok: true; value: JobInfo[] }).value.length;
    const bad = await call('trace.simulateFitted', {
      experimentId: 1,
      domains: 0,
      pcpus: 4,
      policy: { policy: 'upstream' },
    });
    assert.equal(!bad.ok && bad.error.code, 'invalid-argument');
    const missing = await call('trace.fit', { experimentId: 999 });
    assert.equal(!missing.ok && missing.error.code, 'not-found');
    const noHvm = await imported('dom0-sched.bin');
    const none = await call('trace.simulateFitted', {
      experimentId: noHvm,
      domains: 4,
      pcpus: 4,
      policy: { policy: 'upstream' },
    });
    assert.equal(!none.ok && none.error.code, 'bad-input');
    assert.match(!none.ok ? none.error.message : '', /no HVM domain/);
    const sims = await call('experiments.list', {});
    const sim = (sims as { ok: true; value: { id: number; kind: string }[] }).value.find(
      (x) => x.kind === 'simulation',
    )!;
    const notTrace = await call('trace.fit', { experimentId: sim.id });
    assert.equal(!notTrace.ok && notTrace.error.code, 'bad-input');
    assert.match(!notTrace.ok ? notTrace.error.message : '', /not an imported dump/);
    const after = ((await call('jobs.list', {})) as { ok: true; value: JobInfo[] }).value;
    assert.equal(after.filter((j) => j.kind === 'simulation').length, 1, 'only the first run');
    assert.ok(after.length >= before);
  });
});
