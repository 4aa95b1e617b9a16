import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, tempDir, TRACES } from './cli-helpers';

const dir = tempDir('xpl-cli-import-');
test.after(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'lab.db');

test('import --json prints the record statistics, the clock and the list statistics', async () => {
  const r = await cli([
    '--db',
    db,
    'import',
    join(TRACES, 'smallbuf-all.bin'),
    '--json',
    '--cpu-hz',
    '2445.414M',
  ]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  for (const k of [
    'bytes',
    'records',
    'cpus',
    'perCpuRecords',
    'lostRecords',
    'eventCounts',
    'firstTsc',
    'lastTsc',
    'durationNs',
    'domains',
    'vcpus',
  ])
    assert.ok(k in j, `missing ${k}`);
  assert.equal(j.bytes, 863100);
  assert.equal(j.records, 40697);
  assert.equal(j.lostRecords, 34);
  assert.equal(j.recordsLost, 6069);
  assert.equal(j.eventCounts['0x0001f002'], 97);
  assert.deepEqual(j.clock.source, 'user');
  assert.equal(j.clock.cpuHz, 2445.414e6);
  assert.equal(typeof j.lists.maxListLength, 'number');
  assert.equal(j.id, null);
});

test('import --save stores a trace experiment with its ops; a truncated dump reports the offset and exits 1', async () => {
  const r = await cli([
    '--db',
    db,
    'import',
    join(TRACES, 'pvh-sched.bin'),
    '--save',
    '--json',
    '--pi-domains',
    '1,2',
  ]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.ok(j.id > 0);
  const list = JSON.parse((await cli(['--db', db, 'list', '--json'])).out);
  assert.ok(list.some((e: { id: number; kind: string }) => e.id === j.id && e.kind === 'trace'));

  const cut = join(dir, 'cut.bin');
  copyFileSync(join(TRACES, 'pvh-sched.bin'), cut);
  writeFileSync(cut, readFileSync(cut).subarray(0, 100001));
  const bad = await cli(['--db', db, 'import', cut]);
  assert.equal(bad.code, 1);
  assert.match(bad.out, /error at offset \d+: short last window/);
  assert.match(bad.out, /records/);
});

test('import of something that is not a dump, and bad options', async () => {
  const txt = join(dir, 'x.txt');
  writeFileSync(txt, 'hello, this is text and not a dump\n');
  const r = await cli(['--db', db, 'import', txt]);
  assert.equal(r.code, 1);
  assert.match(r.out, /error at offset 0: not a xentrace dump/);
  assert.equal((await cli(['--db', db, 'import', txt, '--cpu-hz', 'fast'])).code, 2);
  assert.equal((await cli(['--db', db, 'import'])).code, 2);
});

test('import of a missing file fails with the reason, without crashing', async () => {
  const r = await cli(['--db', db, 'import', join(dir, 'missing.bin')]);
  assert.equal(r.code, 1);
  assert.match(r.err, /ENOENT/);
});
