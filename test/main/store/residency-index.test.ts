/**
 * The save-time residency index answers every list query exactly as the engine answers it from
 * the residency log (random runs at every instant, windows, searches, lists spanning several
 * chunks, truncated logs), and `run.listAt` on a saved run uses it without reading `res.*`;
 * runs saved without it (older notebooks) are answered from the log as before.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listAt, listFrom, simulate } from '../../../main/engine/index';
import { HostModel } from '../../../main/engine/host-model';
import { RunCache } from '../../../main/api/run-cache';
import { runHandlers } from '../../../main/api/run-handlers';
import { buildLengthsIndex, CHUNK } from '../../../main/store/lengths-index';
import { BLK, buildResidencyIndex, SavedResidency } from '../../../main/store/residency-index';
import { bigList, instants, spyReads, tempStore } from './fixtures';
import { opToCompact } from '../../../shared/ops';
import { SimParamsSchema } from '../../../shared/params';
import type { RunResult, SeriesSet } from '../../../shared/results';
import { SMALL_RUN } from '../../e2e/page-api';
import { config } from '../engine/ops-dsl';
import { randomOps } from '../engine/random-ops';

/** A random run on P pCPUs (hotplug, destruction, remote placements under series K = 1). */
function randomRun(seed: number, ops: number, P: number): RunResult {
  const m = new HostModel(config({ policy: 'series', K: 1, fixup: 'cycle' }, seed));
  for (const o of randomOps(seed, ops, P)) {
    const [c, t, a, b, d] = opToCompact(o);
    m.op(c, t, a, b, d);
  }
  return m.finish();
}

/** Both save-time indexes of `run`, read through a reader that records what it read. */
function saved(run: RunResult, reads?: Set<string>): SavedResidency {
  const ix: SeriesSet = {
    ...buildLengthsIndex(run.summary.pcpus, run.series)!,
    ...buildResidencyIndex(run.summary.pcpus, run.series)!,
  };
  const src = SavedResidency.open((name) => {
    reads?.add(name);
    return ix[name];
  }, run.summary.pcpus);
  assert.ok(src, 'the run has a residency index');
  return src;
}

/** listFrom over the saved index equals the engine's listAt for these queries at t. */
function sameLists(run: RunResult, src: SavedResidency, t: number, queries: Query[]): void {
  for (const [p, offset, limit, search, known] of queries) {
    const total = known ? listAt(run, t, p, 0, 0).total : undefined;
    const want = listAt(run, t, p, offset, limit, search, total);
    const got = listFrom(run, src, t, p, offset, limit, search, total);
    assert.deepEqual(got, want, `t ${t} pCPU ${p} [${offset}, +${limit}) ${search ?? ''}`);
  }
}

/** pCPU, offset, limit, search, whether the total is given (as the handler does). */
type Query = [number, number, number, string | undefined, boolean];

describe('save-time residency index', () => {
  it('lists exactly what the engine lists at every instant of random runs', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const run = randomRun(seed, 3000, 3);
      const src = saved(run);
      let rows = 0;
      for (const t of instants(run, 1, 5)) {
        const queries: Query[] = [];
        for (let p = 0; p < 3; p++) {
          const n = listAt(run, t, p, 0, 0).total;
          rows += n;
          queries.push([p, 0, 10_000, undefined, false], [p, 1, 2, undefined, true]);
          queries.push([p, Math.max(0, n - 1), 5, undefined, true], [p, 0, 100, 'd2', false]);
        }
        queries.push([3, 0, 10, undefined, false], [-1, 0, 10, undefined, false]);
        sameLists(run, src, t, queries);
      }
      assert.ok(rows > 1000, `seed ${seed}: only ${rows} listed rows checked`);
    }
  });

  it('counts and skips whole blocks on lists of many blocks and chunks, reading few chunks', () => {
    const run = simulate(SimParamsSchema.parse(bigList()));
    const rows = run.series['res.tIn'].length;
    assert.ok(rows > 3 * CHUNK, `${rows} rows`);
    const src = saved(run);
    const t0 = run.summary.maxListAtNs;
    const all = [t0, ...instants(run, 49_999, 5)];
    all.forEach((t, i) => {
      const n = listAt(run, t, 0, 0, 0).total;
      sameLists(run, src, t, [
        [0, 0, 200, undefined, true],
        [0, Math.floor(n / 2), 200, undefined, true],
        [0, Math.max(0, n - 150), 200, undefined, true],
        [0, BLK - 3, 7, undefined, false],
        // A search visits every listed row: a few instants are enough.
        ...(i % 8 === 0 ? [[0, 0, 50, 'd7', false] as Query] : []),
      ]);
    });
    assert.ok(all.length > 20, `${all.length} instants`);
    // The first page at the longest list reads its blocks' chunks only, not the whole log.
    const reads = new Set<string>();
    const fresh = saved(run, reads);
    const total = listAt(run, t0, 0, 0, 0).total;
    listFrom(run, fresh, t0, 0, 0, 200, undefined, total);
    const chunks = [...reads].filter((r) => /\.\d+$/.test(r));
    assert.ok(chunks.length <= 6, `read ${chunks.join(', ')}`);
    assert.ok(!chunks.includes(`rx.out.${Math.floor((rows - 1) / CHUNK)}`));
  });

  it('skips and counts blocks whose rows all left, or all stay, like the engine', () => {
    // Long random lists on two pCPUs: thousands of rows each, most of them gone by late instants.
    const run = randomRun(11, 40_000, 2);
    const perPcpu = [0, 1].map((p) => run.series['res.pcpu'].filter((x) => x === p).length);
    assert.ok(Math.min(...perPcpu) > 4 * BLK, `rows per pCPU ${perPcpu.join(', ')}`);
    const src = saved(run);
    for (const t of instants(run, 97, 5)) {
      const queries: Query[] = [];
      for (let p = 0; p < 2; p++) {
        const n = listAt(run, t, p, 0, 0).total;
        for (const offset of [0, 1, Math.floor(n / 3), Math.max(0, n - 2), n])
          queries.push([p, offset, 3, undefined, true], [p, offset, 3, undefined, false]);
      }
      sameLists(run, src, t, queries);
    }
  });

  it('answers a truncated log like the engine before the cut and refuses after it', () => {
    const full = randomRun(7, 4000, 3);
    const n = full.series['res.tIn'].length;
    const keep = Math.floor(n * 0.6);
    const cut = full.series['res.tIn'][keep];
    // What the engine records past MAX_RESIDENCIES: the first rows only, and the cut's time.
    const series: SeriesSet = { ...full.series };
    for (const k of ['res.tIn', 'res.tOut', 'res.pcpu', 'res.vcpu', 'res.blockedOn'])
      series[k] = full.series[k].slice(0, keep);
    const run: RunResult = {
      ...full,
      summary: { ...full.summary, listIndexTruncatedAtNs: cut },
      series,
    };
    const src = saved(run);
    let checked = 0;
    for (const t of instants(run, 1, 5)) {
      if (t >= cut) {
        assert.throws(() => listFrom(run, src, t, 0, 0, 10), /recorded only before/);
        assert.throws(() => listAt(run, t, 0, 0, 10), /recorded only before/);
        continue;
      }
      sameLists(run, src, t, [
        [0, 0, 1000, undefined, false],
        [1, 0, 1000, undefined, true],
        [2, 2, 3, undefined, true],
      ]);
      checked++;
    }
    assert.ok(checked > 100);
  });

  it('is not built when a pCPU’s join times do not ascend, nor without a residency log', () => {
    const run = randomRun(3, 600, 2);
    const tIn = Float64Array.from(run.series['res.tIn']);
    const p0 = run.series['res.pcpu'].indexOf(0);
    const later = run.series['res.pcpu'].indexOf(0, p0 + 1);
    tIn[p0] = tIn[later] + 1;
    assert.equal(buildResidencyIndex(2, { ...run.series, 'res.tIn': tIn }), null);
    assert.equal(buildResidencyIndex(2, { 'len.max': new Uint32Array(4) }), null);
    assert.ok(buildResidencyIndex(2, run.series));
  });
});

describe('run.listAt on a saved run', () => {
  const store = tempStore('xpl-residency-');

  it('reads no residency log, and answers like a run saved without the index', () => {
    const run = simulate(SimParamsSchema.parse(SMALL_RUN));
    const id = store.saveRun({ kind: 'simulation', title: 'rx', result: run });
    const old = store.saveRun({ kind: 'simulation', title: 'no rx', result: run });
    // A run saved before the residency index: the lengths index only.
    store.db
      .prepare("DELETE FROM series_index WHERE experiment_id = ? AND name LIKE 'rx.%'")
      .run(old);
    assert.ok(store.indexNames(id).includes('rx.blk.lastIn'));
    assert.ok(!store.indexNames(old).some((n) => n.startsWith('rx.')));

    const { reads, restore } = spyReads(store);
    const h = runHandlers(new RunCache(store));
    const P = run.summary.pcpus;
    for (const t of [0, 1.2345e7, 4.5e7, run.summary.maxListAtNs, 9.99e7]) {
      for (let p = 0; p < P; p++)
        for (const [offset, limit, search] of [
          [0, 200, undefined],
          [3, 4, undefined],
          [0, 50, 'd1'],
        ] as const) {
          const q = { tNs: t, pcpu: p, offset, limit, search };
          const a = h['run.listAt']({ experimentId: id, ...q });
          const b = h['run.listAt']({ experimentId: old, ...q });
          assert.deepEqual(a, b, `t ${t} pCPU ${p} offset ${offset} ${search ?? ''}`);
          assert.deepEqual(a, {
            tNs: t,
            pcpu: p,
            offset,
            ...listAt(run, t, p, offset, limit, search),
          });
        }
    }
    restore();
    const logReads = (x: string) => x.startsWith('res.') || x === '*';
    assert.ok(reads.some(logReads), 'the run without the index read its log');
    // The indexed run alone, in a fresh cache: what it reads.
    const alone = spyReads(store);
    const h2 = runHandlers(new RunCache(store));
    h2['run.listAt']({ experimentId: id, tNs: 4.5e7, pcpu: 0, offset: 0, limit: 200 });
    // A page reads its vCPUs' domains and ids by element: no series at all.
    assert.deepEqual(alone.reads, []);
    h2['run.listAt']({ experimentId: id, tNs: 4.5e7, pcpu: 1, offset: 0, limit: 50, search: 'd1' });
    alone.restore();
    // A search tests every listed row against the vCPU tables, still without the log.
    assert.deepEqual(alone.reads.filter(logReads), []);
    assert.deepEqual(alone.reads.sort(), ['vcpu.dom', 'vcpu.id']);
  });

  it('falls back to the log when the index arrays do not fit the run', () => {
    const run = simulate(SimParamsSchema.parse(SMALL_RUN));
    const id = store.saveRun({ kind: 'simulation', title: 'odd', result: run });
    store.db
      .prepare("DELETE FROM series_index WHERE experiment_id = ? AND name = 'rx.blk.maxOut'")
      .run(id);
    const runs = new RunCache(store);
    assert.equal(runs.residency(id), null);
    const t = run.summary.maxListAtNs;
    const h = runHandlers(runs);
    assert.deepEqual(h['run.listAt']({ experimentId: id, tNs: t, pcpu: 0, offset: 0, limit: 9 }), {
      tNs: t,
      pcpu: 0,
      offset: 0,
      ...listAt(run, t, 0, 0, 9),
    });
  });
});
