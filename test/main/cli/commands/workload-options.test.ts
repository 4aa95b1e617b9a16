import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { takeWorkloadOptions } from '../../../../main/cli/commands/workload-options';
import { cli, tempDir } from './cli-helpers';

const dir = tempDir('xpl-cli-workload-');
test.after(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'lab.db');

test('simulate --pcpus/--domains/--vcpus override the preset workload', async () => {
  const r = await cli([
    '--db',
    db,
    'simulate',
    '--preset',
    'skylake-112-8to1',
    '--pcpus',
    '8',
    '--domains',
    '6',
    '--vcpus',
    '3',
    '--placement',
    'random',
    '--pi-fraction',
    '0.5',
    '--buckets',
    '64',
    '--duration',
    '20ms',
    '--policy',
    'series',
    '--K',
    '2',
    '--json',
  ]);
  assert.equal(r.code, 0, r.err);
  const s = JSON.parse(r.out);
  assert.equal(s.pcpus, 8);
  assert.equal(s.H, 18);
  // floor(18 / 8) + 2, every pCPU online.
  assert.equal(s.bound, 4);
});

test('bad workload flags are usage errors worded like --K', async () => {
  const cases: [string[], RegExp][] = [
    [['--pcpus', '0'], /--pcpus needs an integer in \[1, 4096\], got "0"/],
    [['--vcpus', '2.5'], /--vcpus needs an integer in \[1, 512\], got "2.5"/],
    [['--pi-fraction', '2'], /--pi-fraction needs a number in \[0, 1\], got "2"/],
    [['--placement', 'north'], /--placement is one of spread, pcpu0, random, got "north"/],
  ];
  for (const [flags, msg] of cases) {
    const r = await cli(['--db', db, 'simulate', '--preset', 'hotplug', ...flags]);
    assert.equal(r.code, 2, flags.join(' '));
    assert.match(r.err, msg);
  }
  const s = await cli(['--db', db, 'simulate', '--script', 'x.jsonl', '--pcpus', '4']);
  assert.equal(s.code, 2);
  assert.match(s.err, /--pcpus does not apply to --script/);
});

test('takeWorkloadOptions returns only the flags given and leaves the rest', () => {
  const args = ['--domains', '7', '--json', '--dist', 'uniform'];
  const o = takeWorkloadOptions(args);
  assert.deepEqual(o.workload, { domains: 7, dist: 'uniform' });
  assert.deepEqual(o.given, ['--domains', '--dist']);
  assert.equal(o.buckets, undefined);
  assert.deepEqual(args, ['--json']);
});
