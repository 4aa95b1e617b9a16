import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OpCode } from '../../../shared/ops';
import type { RunSummary } from '../../../shared/results';
import { PERFETTO_PID, writePerfetto } from '../../../main/notebook/perfetto';
import { Store } from '../../../main/store/store';
import { OP_SERIES_NAMES, opsFromSeries } from '../../../main/trace/op-columns';
import { cli, TRACES } from '../cli/commands/cli-helpers';
import { saveDomainChurn } from './export-helpers';
import { traceEventViolations, type TraceEvent } from './trace-event-format';

const dir = mkdtempSync(join(tmpdir(), 'xpl-perfetto-'));
const db = join(dir, 'nb.db');
let store: Store;
let churn: number;
let dump: number;
before(async () => {
  store = Store.open(db);
  churn = saveDomainChurn(store);
  store.close();
  const r = await cli(['--db', db, 'import', join(TRACES, 'pvh-sched.bin'), '--save', '--json']);
  assert.equal(r.code, 0, r.err);
  dump = (JSON.parse(r.out) as { id: number }).id;
  store = Store.open(db);
});
after(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function load(path: string) {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as {
    traceEvents: TraceEvent[];
    otherData: Record<string, unknown>;
  };
  return doc;
}

/** Per counter track (`<name> <arg key>`, as Perfetto names it): its values. */
function counterTracks(events: TraceEvent[]): Map<string, number[]> {
  const tracks = new Map<string, number[]>();
  for (const e of events)
    if (e.ph === 'C')
      for (const [k, v] of Object.entries(e.args ?? {})) {
        const name = `${e.name} ${k}`;
        if (!tracks.has(name)) tracks.set(name, []);
        tracks.get(name)!.push(v as number);
      }
  return tracks;
}

describe('Perfetto export', () => {
  it('writes a domain-churn run as valid trace events whose counter maxima are the run’s', () => {
    const path = join(dir, 'churn.json');
    const r = writePerfetto(store, churn, { path });
    const doc = load(path);
    assert.deepEqual(traceEventViolations(doc), []);
    assert.equal(r.events, doc.traceEvents.length);
    const summary = store.loadSummary(churn).summary as RunSummary;
    const tracks = counterTracks(doc.traceEvents);
    for (const p of summary.perPcpu) {
      const values = tracks.get(`pCPU ${p.pcpu} PI list`);
      assert.ok(values, `no track for pCPU ${p.pcpu}`);
      assert.equal(Math.max(...values), p.maxLength, `pCPU ${p.pcpu}`);
    }
    assert.equal([...tracks.keys()].filter((k) => k.endsWith(' PI list')).length, summary.pcpus);
    const last = (name: string) => tracks.get(name)!.at(-1);
    assert.equal(last('H (HVM vCPUs)'), summary.H);
    assert.equal(last('online pCPUs'), summary.onlinePcpus);
    assert.equal(last('bound (floor(H/online)+K)'), summary.bound);
    // Bucketed, never one event per operation; the resolution is stated.
    const { timeline } = store.loadSummary(churn);
    assert.ok(doc.traceEvents.length < summary.operations);
    assert.equal(doc.otherData.bucketNs, timeline.bucketNs);
    assert.match(String(doc.otherData.resolution), new RegExp(`${timeline.bucketNs} ns`));
    const names = doc.traceEvents.filter((e) => e.name === 'process_name').map((e) => e.args?.name);
    assert.ok(names.includes('PI blocking lists'));
    // Timestamps are µs of the run's virtual time.
    const maxTs = Math.max(...doc.traceEvents.filter((e) => e.ph === 'C').map((e) => e.ts!));
    assert.ok(maxTs <= (timeline.t0Ns + timeline.buckets * timeline.bucketNs) / 1000);
    assert.ok(maxTs > summary.endNs / 1000 / 2);
    assert.equal(
      doc.traceEvents.filter((e) => e.ph === 'X').length,
      0,
      'no runstate: a simulation',
    );
  });

  it('adds the scheduler’s runstate slices per vCPU for an imported dump', () => {
    const path = join(dir, 'dump.json');
    const r = writePerfetto(store, dump, { path });
    const doc = load(path);
    assert.deepEqual(traceEventViolations(doc), []);
    const ops = opsFromSeries(store.loadSeries(dump, [...OP_SERIES_NAMES]))!;
    const summary = store.loadSummary(dump).summary as RunSummary;
    const threads = new Map<number, string>();
    for (const e of doc.traceEvents)
      if (e.name === 'thread_name' && e.pid === PERFETTO_PID.vcpus)
        threads.set(e.tid, e.args!.name as string);
    const slices = doc.traceEvents.filter((e) => e.ph === 'X');
    assert.equal(slices.length, r.runstateSlices);
    assert.ok(slices.length > 0);
    // One `running` slice per run op of that vCPU, never overlapping, on a real pCPU.
    for (const [tid, name] of threads) {
      const [, dom, vcpu] = /^d(\d+)v(\d+)$/.exec(name)!.map(Number);
      let runs = 0;
      for (let i = 0; i < ops.code.length; i++)
        if (ops.code[i] === OpCode.run && ops.a[i] === dom && ops.b[i] === vcpu) runs++;
      const mine = slices.filter((e) => e.tid === tid).sort((a, b) => a.ts! - b.ts!);
      assert.equal(mine.filter((e) => e.name === 'running').length, runs, name);
      for (let i = 1; i < mine.length; i++)
        assert.ok(mine[i].ts! >= mine[i - 1].ts! + mine[i - 1].dur! - 1e-6, `${name} overlaps`);
      for (const e of mine.filter((x) => x.name === 'running'))
        assert.ok((e.args!.pcpu as number) < summary.pcpus);
    }
    assert.ok(threads.size > 0);
  });

  it('never overwrites a file', () => {
    const path = join(dir, 'churn.json');
    assert.ok(existsSync(path));
    assert.throws(() => writePerfetto(store, churn, { path }), /already exists/);
  });
});
