import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ENGINE_VERSION, simulate } from '../../../../main/engine/index';
import { Store } from '../../../../main/store/store';
import { SimParamsSchema } from '../../../../shared/params';
import { cli, tempDir, TRACES } from './cli-helpers';

const dir = tempDir('xpl-cli-export-');
test.after(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'lab.db');
const CASES = join(TRACES, '..', 'model-cases');

test('export of a stored simulation writes a dump whose import gives the same lists', async () => {
  const params = SimParamsSchema.parse({
    workload: { pcpus: 3, domains: 4, vcpusPerDomain: 2, otherWakeProb: 0, durationNs: 1e8 },
    policy: { policy: 'upstream' },
    seed: 3,
    buckets: 64,
  });
  const result = simulate(params);
  const store = Store.open(db);
  const id = store.saveRun({
    kind: 'simulation',
    title: 'sim',
    params,
    seed: 3,
    result,
    engineVersion: ENGINE_VERSION,
  });
  store.close();
  const out = join(dir, 'sim.trace');
  const w = await cli(['--db', db, 'export', String(id), out]);
  assert.equal(w.code, 0, w.err);
  assert.match(w.out, /records/);
  const imp = JSON.parse(
    (await cli(['--db', db, 'import', out, '--json', '--cpu-hz', '2.4G'])).out,
  );
  assert.deepEqual(imp.lists.perPcpu, result.summary.perPcpu);
  assert.equal(imp.lists.walked, result.summary.walked);
});

test('export of an imported trace writes its reconstructed ops', async () => {
  const saved = JSON.parse(
    (await cli(['--db', db, 'import', join(TRACES, 'pvh-destroy-sched.bin'), '--save', '--json']))
      .out,
  );
  const out = join(dir, 'trace.trace');
  assert.equal((await cli(['--db', db, 'export', String(saved.id), out])).code, 0);
  const again = JSON.parse(
    (await cli(['--db', db, 'import', out, '--json', '--cpu-hz', String(saved.clock.cpuHz)])).out,
  );
  assert.deepEqual(again.lists.perPcpu, saved.lists.perPcpu);
  assert.equal(again.lists.opCounts.block, saved.lists.opCounts.block);
});

test('export of an unknown id fails cleanly', async () => {
  const r = await cli(['--db', db, 'export', '9999', join(dir, 'x.trace')]);
  assert.equal(r.code, 1);
  assert.match(r.err, /not found/);
});

test('a run saved from a script exports; the import shows its lists as observed', async () => {
  const script = join(CASES, 'script-hand.jsonl');
  const sim = JSON.parse(
    (
      await cli([
        '--db',
        db,
        'simulate',
        '--script',
        script,
        '--policy',
        'series',
        '--K',
        '1',
        '--save',
        '--json',
      ])
    ).out,
  );
  assert.ok(sim.remotePlacements > 0, 'series must list some vCPU away from where it blocked');
  const out = join(dir, 'script.trace');
  const w = await cli(['--db', db, 'export', String(sim.experimentId), out]);
  assert.equal(w.code, 0, w.err);
  assert.match(w.out, /PI list records under series/);
  const imp = JSON.parse((await cli(['--db', db, 'import', out, '--json'])).out);
  assert.equal(imp.provenance.source, 'pi-records');
  const maxima = (pp: { maxLength: number }[]) => pp.map((p) => p.maxLength);
  // The run's own lists, not the upstream lists of where each vCPU blocked (the cross-check).
  assert.deepEqual(maxima(imp.lists.perPcpu), maxima(sim.perPcpu));
  assert.equal(imp.lists.walked, sim.walked);
  assert.equal(imp.lists.wakeupInterrupts, sim.wakeupInterrupts);
  assert.notDeepEqual(maxima(imp.crossCheck.perPcpu), maxima(sim.perPcpu));
  const plain = join(dir, 'plain.trace');
  assert.equal(
    (await cli(['--db', db, 'export', String(sim.experimentId), plain, '--no-pi-records'])).code,
    0,
  );
  const again = JSON.parse((await cli(['--db', db, 'import', plain, '--json'])).out);
  assert.equal(again.piRecords, null);
  assert.equal(
    again.provenance.label,
    'reconstructed, assuming every HVM domain has an assigned device',
  );
});
