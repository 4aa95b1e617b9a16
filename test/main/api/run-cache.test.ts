import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { RunCache } from '../../../main/api/run-cache';
import { Store } from '../../../main/store/store';
import { sampleRun } from '../store/fixtures';

describe('RunCache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xpl-cache-'));
  const store = Store.open(join(dir, 'nb.db'));
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a series only when it is first used, then keeps it', () => {
    const id = store.saveRun({ kind: 'simulation', title: 'lazy', result: sampleRun(2) });
    const reads: string[][] = [];
    const orig = store.loadSeries.bind(store);
    store.loadSeries = (i: number, names?: string[]) => {
      reads.push(names ?? ['*']);
      return orig(i, names);
    };
    const cache = new RunCache(store);
    const run = cache.get(id);
    assert.equal(run.summary.walked, 14);
    assert.deepEqual(reads, [], 'opening a run reads no series');
    assert.ok('len.max' in run.series);
    assert.ok(!('res.tIn' in run.series));
    assert.equal(run.series['res.tIn'], undefined);
    assert.deepEqual(Array.from(run.series['len.max']), Array.from(sampleRun(2).series['len.max']));
    assert.equal(run.series['len.max'], run.series['len.max'], 'the same array on the second use');
    assert.deepEqual(reads, [['len.max']]);
    assert.deepEqual(Object.keys(run.series).sort(), ['h', 'len.max', 'len.mean']);
    store.loadSeries = orig;
  });

  it('returns the cached run until evicted or forgotten', () => {
    const cache = new RunCache(store, 2);
    const ids = [1, 2, 3].map((i) =>
      store.saveRun({ kind: 'simulation', title: `r${i}`, result: sampleRun(i) }),
    );
    const first = cache.get(ids[0]);
    assert.equal(cache.get(ids[0]), first);
    cache.get(ids[1]);
    cache.get(ids[2]); // evicts ids[0], the least recently used
    assert.notEqual(cache.get(ids[0]), first);
    const again = cache.get(ids[0]);
    cache.forget(ids[0]);
    assert.notEqual(cache.get(ids[0]), again);
  });
});
