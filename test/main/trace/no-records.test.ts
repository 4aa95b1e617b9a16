/**
 * A file with no valid record is not a trace experiment (issue 11, item 5): refused with a clear
 * error and nothing saved; a damaged but partly readable dump is still saved, with its errors.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { importTraceTask } from '../../../main/jobs/tasks/import-trace';
import { cli, TRACES } from '../cli/commands/cli-helpers';

describe('files that are not dumps', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xpl-norec-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'lab.db');
  const empty = join(dir, 'empty.bin');
  const text = join(dir, 'notes.txt');
  writeFileSync(empty, '');
  writeFileSync(text, 'this is a text file, not a xentrace dump\n'.repeat(50));
  const saved = async () =>
    JSON.parse((await cli(['--db', db, 'list', '--json'])).out) as unknown[];

  it('a 0-byte file: exit 1, a clear error, nothing saved', async () => {
    const r = await cli(['--db', db, 'import', empty, '--save']);
    assert.equal(r.code, 1);
    assert.match(r.err, /empty\.bin holds no valid xentrace record \(the file is empty\)/);
    assert.doesNotMatch(r.out, /saved as experiment/);
    assert.deepEqual(await saved(), []);
  });

  it('a text file: exit 1, the decoder`s reason, never "saved as experiment"', async () => {
    const r = await cli(['--db', db, 'import', text, '--save']);
    assert.equal(r.code, 1);
    assert.match(r.err, /notes\.txt holds no valid xentrace record \(not a xentrace dump/);
    assert.doesNotMatch(r.out, /saved as experiment/);
    const j = await cli(['--db', db, 'import', text, '--json', '--save']);
    assert.equal(j.code, 1);
    assert.equal(JSON.parse(j.out).id, null);
    assert.match(j.err, /holds no valid xentrace record/);
    assert.deepEqual(await saved(), []);
  });

  it('the import job fails on them (the UI shows the job`s error)', async () => {
    for (const f of [empty, text])
      await assert.rejects(
        Promise.resolve(
          importTraceTask({ path: f }, { progress: () => {}, cancelled: () => false }),
        ),
        /holds no valid xentrace record/,
      );
  });

  it('a truncated but partly readable dump is saved with its damage, exit 1', async () => {
    const cut = join(dir, 'cut.bin');
    writeFileSync(cut, readFileSync(join(TRACES, 'pvh-sched.bin')).subarray(0, 100_000));
    const r = await cli(['--db', db, 'import', cut, '--save', '--json']);
    assert.equal(r.code, 1);
    const j = JSON.parse(r.out) as { id: number; errors: { offset: number }[]; records: number };
    assert.ok(j.records > 0);
    assert.ok(j.errors.length > 0);
    assert.equal(typeof j.id, 'number');
    const show = await cli(['--db', db, 'list', '--json']);
    assert.equal((JSON.parse(show.out) as unknown[]).length, 1);
  });
});
