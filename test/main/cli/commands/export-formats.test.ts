import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cli, tempDir } from './cli-helpers';
import { shardCaseArgs } from './shard-case';

const dir = tempDir('xpl-cli-export-formats-');
test.after(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'lab.db');

let runId = 0;
let groupId = 0;
test.before(async () => {
  const r = await cli(['--db', db, 'sweep', ...shardCaseArgs(dir), '--json']);
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out) as { groupId: number; points: { experimentId: number }[] };
  groupId = out.groupId;
  runId = out.points[0].experimentId;
});

test('export --help names every format, xentrace the default', async () => {
  const r = await cli(['export', '--help']);
  assert.equal(r.code, 0);
  for (const f of ['xentrace', 'json', 'perfetto', 'parquet']) assert.match(r.out, new RegExp(f));
  assert.match(r.out, /--format, default xentrace/);
});

test('export --format json writes the run JSON', async () => {
  const out = join(dir, 'run.json');
  const r = await cli(['--db', db, 'export', String(runId), out, '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(readFileSync(out, 'utf8')) as {
    format: string;
    experiment: { id: number };
  };
  assert.equal(doc.format, 'xen-pi-lab/run');
  assert.equal(doc.experiment.id, runId);
});

test('export --format perfetto and parquet write the trace and the tables', async () => {
  const trace = join(dir, 'run.perfetto.json');
  const r = await cli(['--db', db, 'export', String(runId), trace, '--format=perfetto']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /trace events/);
  assert.ok(
    Array.isArray(
      (JSON.parse(readFileSync(trace, 'utf8')) as { traceEvents: unknown }).traceEvents,
    ),
  );
  const folder = join(dir, 'run-tables');
  const p = await cli(['--db', db, 'export', String(runId), folder, '--format', 'parquet']);
  assert.equal(p.code, 0, p.err);
  assert.equal(readdirSync(folder).filter((f) => f.endsWith('.parquet')).length, 5);
  const again = await cli(['--db', db, 'export', String(runId), folder, '--format', 'parquet']);
  assert.equal(again.code, 1);
  assert.match(again.err, /already exists/);
});

test('export --sweep writes one table for the group; bad formats are refused', async () => {
  const out = join(dir, 'sweep.parquet');
  const r = await cli([
    '--db',
    db,
    'export',
    '--sweep',
    String(groupId),
    out,
    '--format',
    'parquet',
  ]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /6 rows/);
  assert.ok(existsSync(out));
  const bad = await cli([
    '--db',
    db,
    'export',
    '--sweep',
    String(groupId),
    join(dir, 'x'),
    '--format',
    'json',
  ]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /parquet only/);
  const unknown = await cli([
    '--db',
    db,
    'export',
    String(runId),
    join(dir, 'y'),
    '--format',
    'pdf',
  ]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /one of xentrace, json, perfetto, parquet/);
  assert.equal(existsSync(join(dir, 'y')), false);
});
