import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../../../main/store/store';
import { parseDuration } from '../../../../main/cli/commands/simulate';
import { cli, tempDir } from './cli-helpers';

const dir = tempDir('xpl-cli-simulate-');
test.after(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'lab.db');
const CASES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'model-cases');

test('--script --json prints the worked case summary', async () => {
  const r = await cli([
    '--db',
    db,
    'simulate',
    '--script',
    join(CASES, 'script-103-hotplug.jsonl'),
    '--policy',
    'series',
    '--K',
    '1',
    '--fixup',
    'cycle',
    '--json',
  ]);
  assert.equal(r.code, 0, r.err);
  const got = JSON.parse(r.out);
  const want = JSON.parse(
    readFileSync(join(CASES, 'script-103-hotplug.series.K1.fixup-cycle.json'), 'utf8'),
  );
  for (const k of Object.keys(want)) assert.deepEqual(got[k], want[k], k);
  assert.equal(r.out.trim().split('\n').length, 1);
});

test('--preset with overrides, --save stores the run and prints its id', async () => {
  const r = await cli([
    '--db',
    db,
    'simulate',
    '--preset',
    'hotplug',
    '--policy',
    'least-loaded',
    '--seed',
    '9',
    '--duration',
    '300ms',
    '--json',
    '--save',
  ]);
  assert.equal(r.code, 0, r.err);
  const s = JSON.parse(r.out);
  assert.equal(s.policy, 'least-loaded');
  assert.ok(s.endNs <= 300e6);
  assert.ok(Number.isInteger(s.experimentId));
  const store = Store.open(db);
  try {
    const e = store.getExperiment(s.experimentId);
    assert.equal(e.kind, 'simulation');
    assert.equal(e.seed, 9);
    assert.equal(e.summary?.walked, s.walked);
  } finally {
    store.close();
  }
});

test('--config reads SimParams JSON; human output without --json', async () => {
  const cfg = join(dir, 'cfg.json');
  writeFileSync(
    cfg,
    JSON.stringify({
      workload: { pcpus: 4, domains: 4, vcpusPerDomain: 2, durationNs: 5e7 },
      policy: { policy: 'two-choices' },
    }),
  );
  const r = await cli(['--db', db, 'simulate', '--config', cfg]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /wakeup interrupts \d+/);
  writeFileSync(
    cfg,
    JSON.stringify({
      workload: { pcpus: 0, domains: 1, vcpusPerDomain: 1 },
      policy: { policy: 'upstream' },
    }),
  );
  const bad = await cli(['--db', db, 'simulate', '--config', cfg]);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /workload\.pcpus/);
});

test('usage errors exit 2, bad scripts exit 1 with the line', async () => {
  for (const args of [
    [],
    ['--preset', 'hotplug', '--script', 'x'],
    ['--preset', 'nope'],
    ['--preset', 'hotplug', '--policy', 'magic'],
    ['--preset', 'hotplug', '--K', '-1'],
    ['--preset', 'hotplug', '--duration', 'soon'],
    ['--script', 'x.jsonl', '--duration', '1s'],
  ]) {
    const r = await cli(['--db', db, 'simulate', ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
  }
  const script = join(dir, 'bad.jsonl');
  writeFileSync(
    script,
    '{"t":0,"op":"pcpus","n":1}\n{"t":1,"op":"block","dom":1,"vcpu":0,"pcpu":0}\n',
  );
  const r = await cli(['--db', db, 'simulate', '--script', script, '--save']);
  assert.equal(r.code, 1);
  assert.match(r.err, /line 2: unknown vCPU d1v0/);
});

test('durations', () => {
  assert.equal(parseDuration('2s'), 2e9);
  assert.equal(parseDuration('500ms'), 5e8);
  assert.equal(parseDuration('1e9'), 1e9);
  assert.equal(parseDuration('20us'), 20e3);
  assert.throws(() => parseDuration('0'));
});

test('--coalesce-ns: coalesced wakeups; above-the-bound figures in --json and the text', async () => {
  const ENGINE_CASES = join(CASES, '..', 'engine-cases');
  const r = await cli([
    '--db',
    db,
    'simulate',
    '--script',
    join(ENGINE_CASES, 'coalesce-worked.jsonl'),
    '--coalesce-ns',
    '10',
    '--json',
  ]);
  assert.equal(r.code, 0, r.err);
  const s = JSON.parse(r.out);
  assert.deepEqual(
    [s.wakeupInterrupts, s.walked, s.coalesceNs, s.coalescedPosts, s.cancelledWakeups],
    [2, 3, 10, 2, 1],
  );
  const above = await cli([
    '--db',
    db,
    'simulate',
    '--script',
    join(ENGINE_CASES, 'above-bound-worked.jsonl'),
    '--policy',
    'series',
    '--K',
    '1',
  ]);
  assert.equal(above.code, 0, above.err);
  assert.match(
    above.out,
    /above the bound in force: 40 pCPU-ns, 60 entry-ns, max excess 2, 4 operations/,
  );
  assert.doesNotMatch(above.out, /coalesced/);
  for (const bad of ['-1', 'soon', '2e9', ''])
    assert.equal(
      (await cli(['--db', db, 'simulate', '--preset', 'hotplug', '--coalesce-ns', bad])).code,
      2,
      bad,
    );
});
