import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Handlers } from '../../../../main/api/dispatch';
import { prepareDownload } from '../../../../main/hosts/http/downloads';
import { storeZip } from '../../../../main/hosts/http/zip';

const dir = mkdtempSync(join(tmpdir(), 'xpl-downloads-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Where each export was asked to write, and what it wrote (the real writers are tested elsewhere). */
const asked: string[] = [];
const handlers = {
  'experiments.exportPerfetto': ({ id, path }: { id: number; path: string }) => {
    asked.push(path);
    if (id === 404)
      throw Object.assign(new Error('experiment 404 not found'), { name: 'NotFoundError' });
    writeFileSync(path, JSON.stringify({ traceEvents: [], id }));
    return { path, bytes: 1, events: 0, runstateSlices: 0 };
  },
  'experiments.exportParquet': ({ dir: out }: { dir: string }) => {
    asked.push(out);
    mkdirSync(out);
    writeFileSync(join(out, 'timeline.parquet'), 'PAR1 timeline PAR1');
    writeFileSync(join(out, 'summary.parquet'), 'PAR1 summary PAR1');
    return { dir: out, tables: [] };
  },
} as unknown as Handlers;

describe('browser downloads of run exports', () => {
  it('perfetto: the exported file, named for the run, removed by cleanup', async () => {
    const r = await prepareDownload(
      handlers,
      '/download/run',
      new URLSearchParams('id=7&format=perfetto'),
    );
    assert.ok(r.ok);
    assert.equal(r.download.fileName, 'run-7.perfetto.json');
    assert.equal(r.download.mime, 'application/json');
    assert.ok(existsSync(r.download.path!));
    // Written in a private folder: other local users cannot read the run while it downloads.
    assert.equal(statSync(dirname(r.download.path!)).mode & 0o777, 0o700);
    r.download.cleanup();
    assert.ok(!existsSync(dirname(r.download.path!)), 'the private folder is removed too');
    assert.ok(!existsSync(r.download.path!));
  });

  it('parquet: one zip holding every table, the temporary folder removed by cleanup', async () => {
    const r = await prepareDownload(
      handlers,
      '/download/run',
      new URLSearchParams('id=3&format=parquet'),
    );
    assert.ok(r.ok);
    assert.equal(r.download.fileName, 'run-3-parquet.zip');
    const zip = join(dir, 'tables.zip');
    writeFileSync(zip, r.download.bytes!);
    r.download.cleanup();
    assert.ok(!existsSync(asked.at(-1)!));
    // Info-ZIP checks every member's CRC and reads them back.
    assert.match(execFileSync('unzip', ['-t', zip], { encoding: 'utf8' }), /No errors detected/);
    assert.equal(
      execFileSync('unzip', ['-p', zip, 'summary.parquet'], { encoding: 'utf8' }),
      'PAR1 summary PAR1',
    );
    assert.equal(
      execFileSync('unzip', ['-p', zip, 'timeline.parquet'], { encoding: 'utf8' }),
      'PAR1 timeline PAR1',
    );
  });

  it('refuses a bad id, a bad format or an unknown path, writing nothing', async () => {
    const before = asked.length;
    for (const [path, q, msg] of [
      ['/download/run', 'id=x&format=perfetto', /id/],
      ['/download/run', 'format=parquet', /id/],
      ['/download/run', 'id=1&format=csv', /format must be perfetto or parquet, got "csv"/],
      ['/download/elsewhere', '', /no download at \/download\/elsewhere/],
    ] as const) {
      const r = await prepareDownload(handlers, path, new URLSearchParams(q));
      assert.ok(!r.ok && !r.reply.ok);
      assert.equal(r.reply.error.code, 'invalid-argument');
      assert.match(r.reply.error.message, msg);
    }
    assert.equal(asked.length, before, 'no export ran');
    const missing = await prepareDownload(
      handlers,
      '/download/run',
      new URLSearchParams('id=404&format=perfetto'),
    );
    assert.ok(!missing.ok && !missing.reply.ok);
    assert.equal(missing.reply.error.code, 'not-found');
    assert.ok(!existsSync(asked.at(-1)!), 'a failed export leaves no temporary file');
  });
});

describe('storeZip', () => {
  it('writes an archive Info-ZIP lists with its names and exact sizes', () => {
    const zip = join(dir, 'names.zip');
    writeFileSync(
      zip,
      storeZip([
        { name: 'walks.txt', data: Buffer.from('abc') },
        { name: 'empty', data: Buffer.alloc(0) },
      ]),
    );
    const list = execFileSync('unzip', ['-l', zip], { encoding: 'utf8' });
    assert.match(list, /\b3 +1980-01-01 00:00 +walks\.txt/);
    assert.match(list, /\b0 .*empty/);
    assert.match(list, /2 files/);
  });
});
