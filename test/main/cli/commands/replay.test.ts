import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { cli, tempDir, TRACES } from './cli-helpers';

const dir = tempDir('xpl-cli-replay-');
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('replay --json prints the engine summary under the chosen policy', async () => {
  const r = await cli([
    '--db',
    join(dir, 'lab.db'),
    'replay',
    join(TRACES, 'pvh-destroy-sched.bin'),
    '--policy',
    'series',
    '--K',
    '0',
    '--json',
  ]);
  assert.equal(r.code, 0, r.err);
  const s = JSON.parse(r.out);
  assert.equal(s.policy, 'series');
  assert.equal(s.K, 0);
  for (const k of ['maxListLength', 'perPcpu', 'walked', 'wakeupInterrupts', 'remotePlacements'])
    assert.ok(k in s);
  assert.equal(s.opCounts.block, 33);
});

test('replay without --policy, or with an unknown one, is a usage error', async () => {
  const f = join(TRACES, 'pvh-sched.bin');
  assert.equal((await cli(['--db', join(dir, 'lab.db'), 'replay', f])).code, 2);
  assert.equal((await cli(['--db', join(dir, 'lab.db'), 'replay', f, '--policy', 'nope'])).code, 2);
});
