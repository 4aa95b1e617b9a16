import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ParquetExport, ParquetTableFile, PerfettoExport } from '../../../shared/notebook';
import { dispatch } from '../../../main/api/dispatch';
import { createServices, type Services } from '../../../main/api/services';
import { TINY } from '../notebook/helpers';

const dir = mkdtempSync(join(tmpdir(), 'xpl-export-handlers-'));
let services: Services;
let groupId = 0;
let runId = 0;
before(async () => {
  services = createServices({ dbPath: join(dir, 'nb.db'), host: 'cli', maxConcurrentJobs: 2 });
  const r = await call('sweeps.start', {
    base: TINY,
    grid: [{ path: 'policy.K', values: [0, 1] }],
  });
  assert.ok(r.ok, JSON.stringify(r));
  groupId = (r.value as { groupId: number }).groupId;
  for (let i = 0; i < 200; i++) {
    const d = await call('sweeps.get', { groupId });
    const g = d.ok
      ? (d.value as { group: { state: string }; points: { experimentId: number }[] })
      : null;
    if (g && g.group.state !== 'running') {
      assert.equal(g.group.state, 'done');
      runId = g.points[0].experimentId;
      break;
    }
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.ok(runId > 0, 'the sweep finished');
});
after(async () => {
  await services.close();
  rmSync(dir, { recursive: true, force: true });
});

function call(channel: string, req: unknown) {
  return dispatch(services.handlers, channel, req);
}

describe('export channels', () => {
  it('write Perfetto, Parquet and a sweep table where asked', async () => {
    const p = await call('experiments.exportPerfetto', { id: runId, path: join(dir, 't.json') });
    assert.ok(p.ok, JSON.stringify(p));
    assert.ok((p.value as PerfettoExport).events > 0);
    const q = await call('experiments.exportParquet', { id: runId, dir: join(dir, 'tables') });
    assert.ok(q.ok, JSON.stringify(q));
    assert.equal((q.value as ParquetExport).tables.length, 5);
    assert.equal(readdirSync(join(dir, 'tables')).length, 5);
    const s = await call('sweeps.exportParquet', { groupId, path: join(dir, 'sweep.parquet') });
    assert.ok(s.ok, JSON.stringify(s));
    assert.equal((s.value as ParquetTableFile).rows, 2);
  });

  it('default to exports/ beside the notebook', async () => {
    const p = await call('experiments.exportPerfetto', { id: runId });
    assert.ok(p.ok, JSON.stringify(p));
    const path = (p.value as PerfettoExport).path;
    assert.equal(path.startsWith(join(dir, 'exports')), true, path);
    assert.ok(existsSync(path));
  });

  it('refuse bad requests with a clear error and write nothing', async () => {
    const extra = await call('experiments.exportParquet', { id: runId, dir: 'x', other: 1 });
    assert.equal(!extra.ok && extra.error.code, 'invalid-argument');
    const missing = await call('experiments.exportPerfetto', {
      id: 9999,
      path: join(dir, 'n.json'),
    });
    assert.equal(!missing.ok && missing.error.code, 'not-found');
    assert.equal(existsSync(join(dir, 'n.json')), false);
    const noGroup = await call('sweeps.exportParquet', { groupId: 9999 });
    assert.equal(!noGroup.ok && noGroup.error.code, 'not-found');
    const twice = await call('experiments.exportParquet', { id: runId, dir: join(dir, 'tables') });
    assert.equal(!twice.ok && twice.error.code, 'bad-input');
  });
});
