import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { JobInfo } from '../../../shared/model';
import { dispatch } from '../../../main/api/dispatch';
import { createServices, type Services } from '../../../main/api/services';
import { APPLICATION_ID } from '../../../main/store/db';
import { SCHEMA_VERSION } from '../../../main/store/migrations';
import { TINY } from '../notebook/helpers';

const dir = mkdtempSync(join(tmpdir(), 'xpl-nb-handlers-'));
let services: Services;
before(() => {
  services = createServices({ dbPath: join(dir, 'nb.db'), host: 'cli', maxConcurrentJobs: 2 });
});
after(async () => {
  await services.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = (channel: string, req: unknown) => dispatch(services.handlers, channel, req);

describe('notebook channels', () => {
  it('validate their arguments', async () => {
    const r = await call('sweeps.start', { base: TINY, grid: [] });
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.code, 'invalid-argument');
    const bad = await call('experiments.exportReport', {
      id: 1,
      charts: [{ name: '../evil', pngBase64: '' }],
    });
    assert.equal(!bad.ok && bad.error.code, 'invalid-argument');
    const grid = await call('sweeps.start', {
      base: TINY,
      grid: [{ path: 'policy.K', values: [-3] }],
    });
    assert.equal(!grid.ok && grid.error.code, 'bad-input');
  });

  it('report a sweep as one job in jobs.list, and jobs.cancel cancels all its points', async () => {
    const long = { ...TINY, workload: { ...TINY.workload, durationNs: 50e9 } };
    const r = await call('sweeps.start', {
      base: long,
      grid: [{ path: 'seed', values: [1, 2, 3, 4] }],
      title: 'to cancel',
    });
    assert.ok(r.ok, JSON.stringify(r));
    const { jobId, groupId, points } = r.value as {
      jobId: string;
      groupId: number;
      points: number;
    };
    assert.equal(points, 4);
    const done = new Promise<JobInfo>((res) =>
      services.events.on('job.done', (j) => j.jobId === jobId && res(j)),
    );
    const list = (await call('jobs.list', {})) as { ok: true; value: JobInfo[] };
    assert.ok(list.value.some((j) => j.jobId === jobId && j.kind === 'sweep'));
    const c = (await call('jobs.cancel', { jobId })) as { ok: true; value: { cancelled: boolean } };
    assert.equal(c.value.cancelled, true);
    const info = await done;
    assert.equal(info.state, 'cancelled');
    const g = (await call('sweeps.get', { groupId })) as {
      ok: true;
      value: { group: { state: string } };
    };
    assert.equal(g.value.group.state, 'cancelled');
    const groups = (await call('sweeps.list', {})) as { ok: true; value: { id: number }[] };
    assert.ok(groups.value.some((x) => x.id === groupId));
  });

  it('refuse a newer notebook file clearly (unavailable, the StoreVersionError message)', async () => {
    const newer = join(dir, 'newer.db');
    const db = new Database(newer);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${SCHEMA_VERSION + 2}`);
    db.close();
    const r = await call('notebook.import', { path: newer });
    assert.equal(!r.ok && r.error.code, 'unavailable');
    assert.match(!r.ok ? r.error.message : '', /newer Xen PI Lab.*left untouched/s);
    const missing = await call('experiments.verify', { id: 9999 });
    assert.equal(!missing.ok && missing.error.code, 'not-found');
  });
});
