/**
 * The Parquet tables read back by an independent reader (DuckDB's Node API), value by value
 * against the run's stored series and summary, and a sweep group's table against its points.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { SimParamsSchema } from '../../../shared/params';
import type { RunSummary } from '../../../shared/results';
import {
  gridColumn,
  summaryRow,
  writeRunParquet,
  writeSweepParquet,
} from '../../../main/notebook/parquet';
import { Store } from '../../../main/store/store';
import { saveDomainChurn } from './export-helpers';
import { TINY, useSweepFixture } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'xpl-parquet-'));
let store: Store;
let run: number;
let duck: DuckDBConnection;
const fx = useSweepFixture('parquet-sweep');
before(async () => {
  store = Store.open(join(dir, 'nb.db'));
  run = saveDomainChurn(store);
  duck = await (await DuckDBInstance.create(':memory:')).connect();
});
after(() => {
  duck.closeSync();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await duck.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}
const num = (v: unknown) => (typeof v === 'bigint' ? Number(v) : (v as number));

describe('Parquet export', () => {
  it('writes every table of a run, which DuckDB reads back with the run’s values', async () => {
    const out = join(dir, 'run');
    const r = writeRunParquet(store, run, { dir: out });
    assert.deepEqual(
      r.tables.map((t) => t.table),
      ['pcpu_lengths', 'timeline', 'walk_histogram', 'pcpu_summary', 'summary'],
    );
    const { summary, timeline } = store.loadSummary(run) as {
      summary: RunSummary;
      timeline: { t0Ns: number; bucketNs: number; buckets: number };
    };
    const s = store.loadSeries(run);
    const P = summary.pcpus;
    const B = timeline.buckets;
    const f = (t: string) => `'${join(out, `${t}.parquet`)}'`;

    const lens = await rows(
      `SELECT pcpu, bucket, t_ns, len_min, len_max, len_last, len_mean FROM ${f('pcpu_lengths')} ORDER BY pcpu, bucket`,
    );
    assert.equal(lens.length, P * B);
    lens.forEach((row, i) => {
      assert.equal(row.pcpu, Math.floor(i / B));
      assert.equal(row.bucket, i % B);
      assert.equal(row.t_ns, timeline.t0Ns + (i % B) * timeline.bucketNs);
      assert.equal(row.len_min, s['len.min'][i]);
      assert.equal(row.len_max, s['len.max'][i]);
      assert.equal(row.len_last, s['len.last'][i]);
      assert.equal(row.len_mean, s['len.mean'][i]);
    });
    const perPcpu = await rows(
      `SELECT pcpu, max(len_max) AS m FROM ${f('pcpu_lengths')} GROUP BY pcpu ORDER BY pcpu`,
    );
    assert.deepEqual(
      perPcpu.map((x) => x.m),
      summary.perPcpu.map((p) => p.maxLength),
    );

    const tl = await rows(`SELECT * FROM ${f('timeline')} ORDER BY bucket`);
    assert.equal(tl.length, B);
    tl.forEach((row, b) => {
      assert.equal(row.h, s.h[b]);
      assert.equal(row.h_max, s['h.max'][b]);
      assert.equal(row.online, s.online[b]);
      assert.equal(row.bound, s.bound[b]);
      assert.equal(row.bound_min, s['bound.min'][b]);
      assert.equal(row.t_end_ns, timeline.t0Ns + (b + 1) * timeline.bucketNs);
    });

    const hist = await rows(
      `SELECT entries, interrupts FROM ${f('walk_histogram')} ORDER BY entries`,
    );
    assert.deepEqual(
      hist.map((x) => [num(x.entries), num(x.interrupts)]),
      Array.from(s['walk.values'], (v, i) => [v, s['walk.counts'][i]]),
    );
    const total = await rows(`SELECT sum(interrupts) AS n FROM ${f('walk_histogram')}`);
    assert.equal(num(total[0].n), summary.walkStats.count);

    const ps = await rows(`SELECT * FROM ${f('pcpu_summary')} ORDER BY pcpu`);
    assert.deepEqual(
      ps.map((x) => ({ pcpu: x.pcpu, maxLength: x.max_length, finalLength: x.final_length })),
      summary.perPcpu,
    );

    const [sum] = await rows(`SELECT * FROM ${f('summary')}`);
    assert.equal(sum.experiment_id, run);
    assert.equal(sum.title, 'domain churn');
    for (const [col, v] of summaryRow(summary)) assert.equal(sum[col], v, col);
    assert.equal(sum.max_list_length, summary.maxListLength);
    assert.equal(sum.walk_entries_p99, summary.walkStats.p99);
    assert.equal(sum.walk_time_ns_max, summary.walkTimeNsStats.max);
  });

  it('writes a sweep group as one table, a row per point', async () => {
    const s = fx.sweeps.start({
      base: SimParamsSchema.parse(TINY),
      grid: [
        { path: 'policy.K', values: [0, 4] },
        { path: 'policy.policy', values: ['upstream', 'series'] },
      ],
    });
    assert.equal((await s.finished).state, 'done');
    const detail = fx.sweeps.detail(s.groupId);
    const path = join(dir, 'sweep.parquet');
    const r = writeSweepParquet(detail, fx.store, { path });
    assert.equal(r.rows, 4);
    const got = await rows(`SELECT * FROM '${path}' ORDER BY experiment_id`);
    assert.equal(gridColumn('policy.K'), 'policy_K');
    assert.deepEqual(
      got.map((x) => ({
        experimentId: x.experiment_id,
        title: x.title,
        values: { 'policy.K': x.policy_K, 'policy.policy': x.policy_policy },
        metrics: {
          maxListLength: x.max_list_length,
          p99Walk: x.p99_walk,
          maxWalk: x.max_walk,
          p99WalkNs: x.p99_walk_ns,
          remotePlacements: x.remote_placements,
          overBoundInsertions: x.over_bound_insertions,
          wakeupInterrupts: x.wakeup_interrupts,
          fixupMoves: x.fixup_moves,
        },
      })),
      [...detail.points].sort((a, b) => a.experimentId - b.experimentId),
    );
    const meta = await rows(
      `SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata('${path}')`,
    );
    assert.ok(meta.some((m) => m.k === 'xen-pi-lab.sweep_key' && m.v === detail.group.sweepKey));
  });

  it('never overwrites', () => {
    const out = join(dir, 'run');
    assert.ok(existsSync(out));
    assert.throws(() => writeRunParquet(store, run, { dir: out }), /already exists/);
  });
});
