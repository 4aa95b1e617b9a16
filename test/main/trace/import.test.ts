/**
 * The streamed import (import.ts) on a dump with the lab's PI list records: the as-recorded and
 * the scheduler-based streams both go through the engine without being held, and give what the
 * collected op columns give through `replayOps`; the summary-only import gives the same figures.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  importTrace,
  importTraceSummary,
  replayOps,
  UPSTREAM,
  type TraceImport,
} from '../../../main/trace/index';
import { writeSimDump } from './sim-dump';
import { PolicyConfigSchema } from '../../../shared/params';
import type { RunResult } from '../../../shared/results';

const dir = mkdtempSync(join(tmpdir(), 'xpl-import-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'sim.trace');

/** The figures of a run that do not depend on its bucket count. */
const lists = (r: RunResult['summary']) => ({
  maxListLength: r.maxListLength,
  perPcpu: r.perPcpu.map((p) => p.maxLength),
  wakeupInterrupts: r.wakeupInterrupts,
  walked: r.walked,
  H: r.H,
});

describe('import of a dump with PI list records', () => {
  let full: TraceImport;
  before(async () => {
    writeSimDump(file, 2e8, 5);
    full = await importTrace(file, { tmpDir: dir });
  });

  it('takes the lists as recorded, and cross-checks them against the scheduler records', () => {
    assert.equal(full.provenance.source, 'pi-records');
    assert.ok(full.piRecords && full.piRecords.adds > 0);
    assert.equal(full.opCount, full.ops.code.length);
    // The cross-check is the collected scheduler ops under upstream, whatever the bucket count.
    const sched = replayOps(full.ops, UPSTREAM, undefined, 16).summary;
    assert.deepEqual(full.crossCheck, {
      ...lists(sched),
      perPcpu: sched.perPcpu.map((p) => ({ pcpu: p.pcpu, maxLength: p.maxLength })),
    });
    // The result is not the scheduler stream's: walks differ (wake-ups not from a PI interrupt).
    assert.notDeepEqual(lists(full.result.summary), lists(sched));
    assert.equal(full.result.summary.wakeupInterrupts, full.piRecords.wakeupInterrupts);
    assert.equal(full.result.summary.walked, full.piRecords.walked);
  });

  it('gives the same figures without keeping its ops or a residency log', async () => {
    const summary = await importTraceSummary(file, { tmpDir: dir, listIndex: false });
    assert.equal('ops' in summary, false);
    assert.deepEqual(lists(summary.result.summary), lists(full.result.summary));
    assert.deepEqual(summary.crossCheck, full.crossCheck);
    assert.deepEqual(summary.outsideLost, full.outsideLost);
    assert.deepEqual(summary.piRecords, full.piRecords);
    assert.deepEqual(summary.domains, full.domains);
    assert.deepEqual(summary.provenance, full.provenance);
    assert.equal(summary.opCount, full.opCount);
    assert.equal(summary.result.series['res.vcpu']?.length ?? 0, 0, 'no residency kept');
    assert.ok((full.result.series['res.vcpu']?.length ?? 0) > 0);
  });

  it('replays the scheduler ops under another policy, with no cross-check', async () => {
    const policy = PolicyConfigSchema.parse({ policy: 'series', K: 4 });
    const counter = await importTraceSummary(file, { tmpDir: dir, policy });
    assert.equal(counter.provenance.source, 'counterfactual');
    assert.equal(counter.crossCheck, null);
    assert.deepEqual(counter.result.summary, replayOps(full.ops, policy).summary);
  });
});
