/**
 * The save-time list-lengths index answers exactly what the engine's list index answers, at every
 * kind of instant (joins, leaves, bucket edges, before and after the run), across chunk
 * boundaries, and `run.lengthsAt` uses it without reading the residency log.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { lengthsAt, listAt, simulate } from '../../../main/engine/index';
import { RunCache } from '../../../main/api/run-cache';
import { runHandlers } from '../../../main/api/run-handlers';
import {
  buildLengthsIndex,
  CHUNK,
  lengthsFromIndex,
  sortTimes,
  type IndexReader,
} from '../../../main/store/lengths-index';
import { Store } from '../../../main/store/store';
import { bigList, instants, spyReads } from './fixtures';
import { SimParamsSchema } from '../../../shared/params';
import type { RunResult } from '../../../shared/results';
import { SMALL_RUN } from '../../e2e/page-api';

/** Small, with remote placements and a hotplug fix-up (the e2e tests' run). */
const SMALL = SMALL_RUN;

function reader(run: RunResult, reads?: Set<string>): IndexReader {
  const ix = buildLengthsIndex(run.summary.pcpus, run.series)!;
  return (name) => {
    reads?.add(name);
    return ix[name];
  };
}

describe('save-time list-lengths index', () => {
  it('equals the engine at joins, leaves and bucket edges (small run with hotplug)', () => {
    const run = simulate(SimParamsSchema.parse(SMALL));
    const read = reader(run);
    for (const t of instants(run, 3))
      assert.deepEqual(
        lengthsFromIndex(read, run.summary.pcpus, t),
        lengthsAt(run, t).lengths,
        `t = ${t}`,
      );
  });

  it('equals the engine on a list spanning several chunks, reading one chunk per count', () => {
    const run = simulate(SimParamsSchema.parse(bigList()));
    assert.ok(run.series['res.tIn'].length > 3 * CHUNK, `${run.series['res.tIn'].length} rows`);
    assert.ok(run.summary.maxListLength > CHUNK, `max list ${run.summary.maxListLength}`);
    const all = instants(run, 4001);
    let checked = 0;
    for (const t of all) {
      const reads = new Set<string>();
      const got = lengthsFromIndex(reader(run, reads), run.summary.pcpus, t);
      assert.deepEqual(got, lengthsAt(run, t).lengths, `t = ${t}`);
      const chunks = [...reads].filter((n) => /^idx\.(in|out)\.\d+$/.test(n));
      // pCPU 0 holds every row: one join-time and one leave-time chunk at most.
      assert.ok(chunks.length <= 2, `t = ${t}: read ${chunks.join(', ')}`);
      checked++;
    }
    assert.ok(checked > 100);
  });

  it('is none for a run without a residency log', () => {
    assert.equal(buildLengthsIndex(2, { 'len.max': new Uint32Array(4) }), null);
  });
});

describe('run.lengthsAt through the store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xpl-lengths-index-'));
  const store = Store.open(join(dir, 'nb.db'));
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers from the saved index without reading res.*, and like the engine without one', () => {
    const run = simulate(SimParamsSchema.parse(SMALL));
    const id = store.saveRun({ kind: 'simulation', title: 'ix', result: run });
    const old = store.saveRun({ kind: 'simulation', title: 'no ix', result: run });
    // A run saved before schema 4 has no index rows.
    store.db.prepare('DELETE FROM series_index WHERE experiment_id = ?').run(old);
    assert.ok(store.indexNames(id).includes('idx.start'));
    assert.deepEqual(store.indexNames(old), []);

    const { reads, restore } = spyReads(store);
    const h = runHandlers(new RunCache(store));
    for (const t of [0, 1.2345e7, 4.5e7, 9.99e7]) {
      const want = lengthsAt(run, t);
      const a = h['run.lengthsAt']({ experimentId: id, tNs: t });
      const b = h['run.lengthsAt']({ experimentId: old, tNs: t });
      assert.deepEqual(a, { tNs: t, ...want });
      assert.deepEqual(b, { tNs: t, ...want });
    }
    const resOf = (x: string) => x.startsWith('res.');
    assert.ok(reads.some(resOf), 'the run without an index read its residency log');
    restore();
  });

  it('run.listAt with the index: the same rows and totals as the engine, any window', () => {
    const run = simulate(SimParamsSchema.parse(bigList()));
    const id = store.saveRun({ kind: 'simulation', title: 'big', result: run });
    const h = runHandlers(new RunCache(store));
    const t = run.summary.maxListAtNs;
    const total = lengthsAt(run, t).lengths[0];
    assert.ok(total > 5000);
    for (const [offset, limit, search] of [
      [0, 200, undefined],
      [3000, 200, undefined],
      [total - 50, 200, undefined],
      [total + 10, 200, undefined],
      [0, 50, 'd7'],
    ] as const) {
      const got = h['run.listAt']({ experimentId: id, tNs: t, pcpu: 0, offset, limit, search });
      const want = listAt(run, t, 0, offset, limit, search);
      assert.deepEqual(got, { tNs: t, pcpu: 0, offset, ...want }, `offset ${offset} ${search}`);
    }
  });

  it('never reads res.* for the indexed run', () => {
    const run = simulate(SimParamsSchema.parse(SMALL));
    const id = store.saveRun({ kind: 'simulation', title: 'ix2', result: run });
    const { reads, restore } = spyReads(store);
    const h = runHandlers(new RunCache(store));
    h['run.lengthsAt']({ experimentId: id, tNs: 5e7 });
    assert.deepEqual(
      reads.filter((x) => x.startsWith('res.') || x === '*'),
      [],
    );
    restore();
  });
});

describe('sortTimes', () => {
  it('sorts like Float64Array.sort: radix for big non-negative arrays, sort otherwise', () => {
    const cases = [
      new Float64Array(50_000).map((_, i) =>
        i % 7 === 0 ? Infinity : ((i * 7919) % 50_021) * 1.5,
      ),
      new Float64Array(10_000).map((_, i) => Math.sin(i) * 1e9), // negatives: V8's sort
      new Float64Array(5_000).map((_, i) => 1e6 - i), // descending
      new Float64Array(100).map((_, i) => (i * 37) % 101), // short
      new Float64Array(8192).fill(3), // one value
    ];
    for (const a of cases) {
      const want = new Float64Array(a).sort();
      sortTimes(a);
      assert.deepEqual(a, want);
    }
    const sub = new Float64Array(20_000).map((_, i) => (i * 104_729) % 20_011);
    const view = sub.subarray(5000, 15_000);
    const want = new Float64Array(view).sort();
    sortTimes(view);
    assert.deepEqual(view, want, 'a subarray sorts in place');
  });
});
