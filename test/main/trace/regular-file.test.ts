/**
 * Import accepts only regular files (issue 11, item 4): a FIFO or a device is refused before it is
 * opened, by the CLI, the import job and the API handler, so nothing blocks and shutdown is clean.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { dispatch } from '../../../main/api/dispatch';
import { createServices } from '../../../main/api/services';
import { importTraceTask } from '../../../main/jobs/tasks/import-trace';
import { requireRegularFile } from '../../../main/trace/regular-file';
import { cli } from '../cli/commands/cli-helpers';

const posix = process.platform !== 'win32';

describe('import reads regular files only', { skip: !posix }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'xpl-fifo-'));
  const fifo = join(dir, 'dump.fifo');
  if (posix) execFileSync('mkfifo', [fifo]);
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('names what the path is instead', () => {
    assert.throws(() => requireRegularFile(fifo), /dump\.fifo is a FIFO, not a regular file/);
    if (existsSync('/dev/zero'))
      assert.throws(() => requireRegularFile('/dev/zero'), /\/dev\/zero is a device/);
    assert.throws(() => requireRegularFile(dir), /is a folder/);
    assert.throws(() => requireRegularFile(join(dir, 'none')), { code: 'ENOENT' });
  });

  it('`import FIFO` and `import /dev/zero` return at once with exit 1 and save nothing', async () => {
    const db = join(dir, 'lab.db');
    const r = await cli(['--db', db, 'import', fifo, '--save']);
    assert.equal(r.code, 1);
    assert.match(r.err, /is a FIFO, not a regular file/);
    if (existsSync('/dev/zero')) {
      const z = await cli(['--db', db, 'import', '/dev/zero', '--save']);
      assert.equal(z.code, 1);
      assert.match(z.err, /is a device/);
    }
    const list = await cli(['--db', db, 'list', '--json']);
    assert.deepEqual(JSON.parse(list.out), []);
  });

  it('the import job refuses a FIFO without opening it', async () => {
    await assert.rejects(
      Promise.resolve(
        importTraceTask({ path: fifo }, { progress: () => {}, cancelled: () => false }),
      ),
      /is a FIFO/,
    );
  });

  it('trace.import over the API answers bad-input, starts no job, and the services close', async () => {
    const services = createServices({ dbPath: join(dir, 'api.db'), host: 'browser' });
    const r = await dispatch(services.handlers, 'trace.import', { path: fifo });
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.code, 'bad-input');
    assert.match(!r.ok ? r.error.message : '', /FIFO/);
    assert.deepEqual(services.jobs.list(), []);
    await services.close();
  });
});
