import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import type { Handlers } from '../../../../main/api/dispatch';
import type { Services } from '../../../../main/api/services';
import { startHttpHost, type HttpHost } from '../../../../main/hosts/http/server';

interface Res {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

function http(
  host: HttpHost,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        path,
        method: opts.method ?? 'GET',
        headers: opts.headers,
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

describe('browser host security', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xpl-http-'));
  const events = new EventEmitter();
  let host: HttpHost;
  const calls: unknown[] = [];
  const exported: string[] = [];
  before(async () => {
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>lab</title>');
    writeFileSync(join(dir, 'app.js'), 'console.log(1)');
    const handlers = {
      'experiments.get': (r: unknown) => {
        calls.push(r);
        return { id: 1, title: 'ok' };
      },
      // What the real handler does, in miniature: a snapshot file at the path asked for.
      'notebook.export': ({ path }: { path: string }) => {
        exported.push(path);
        writeFileSync(path, 'SQLite format 3\0 snapshot');
        return { path, bytes: 26, experiments: 1 };
      },
    } as unknown as Handlers;
    const services = { handlers, events } as unknown as Services;
    host = await startHttpHost({ services, rendererDir: dir, port: 0, uploadDir: join(dir, 'up') });
  });
  after(async () => {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const api = (headers: Record<string, string>) =>
    http(host, '/api/experiments.get', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ id: 1 }),
    });

  it('listens on 127.0.0.1 only and prints a URL carrying the token', () => {
    const addr = host.server.address();
    assert.equal(typeof addr === 'object' && addr?.address, '127.0.0.1');
    assert.match(
      host.url,
      new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=${host.token}$`),
    );
    assert.ok(host.token.length >= 32);
  });

  it('refuses requests without the token, or with a wrong one', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer nope' },
      { authorization: `Bearer ${host.token}x` },
    ]) {
      const r = await api(headers as Record<string, string>);
      assert.equal(r.status, 401);
      assert.match(JSON.parse(r.body).error.message, /token/);
    }
    for (const path of ['/', '/index.html', '/app.js', '/?token=wrong'])
      assert.equal((await http(host, path)).status, 401, path);
    assert.equal(calls.length, 0);
  });

  it('GET /download/notebook streams a fresh snapshot as an attachment, then removes it', async () => {
    assert.equal((await http(host, '/download/notebook')).status, 401);
    const r = await http(host, '/download/notebook', {
      headers: { authorization: `Bearer ${host.token}` },
    });
    assert.equal(r.status, 200);
    assert.equal(r.body, 'SQLite format 3\0 snapshot');
    assert.match(
      String(r.headers['content-disposition']),
      /^attachment; filename="xen-pi-lab-notebook-\d{8}T\d{6}\.db"$/,
    );
    assert.equal(exported.length, 1);
    // Removed once the stream has ended (the client may see its end a moment before).
    for (let i = 0; i < 50 && existsSync(exported[0]); i++)
      await new Promise((ok) => setTimeout(ok, 20));
    assert.ok(!existsSync(exported[0]), 'the temporary snapshot is removed');
    // The page's asset cookie opens static files only, never the notebook.
    const page = await http(host, `/?token=${host.token}`);
    const cookie = String(page.headers['set-cookie']).split(';')[0];
    const byCookie = await http(host, '/download/notebook', { headers: { cookie } });
    assert.equal(byCookie.status, 401);
    assert.equal(exported.length, 1, 'nothing exported for a refused request');
    // A plain browser navigation carries the token in the query, as the page's own URL does.
    const byQuery = await http(host, `/download/notebook?token=${host.token}`);
    assert.equal(byQuery.status, 200);
    assert.equal(byQuery.body, 'SQLite format 3\0 snapshot');
    const run = await http(host, `/download/run?id=1&format=perfetto`, { headers: { cookie } });
    assert.equal(run.status, 401, 'run downloads need the token too');
    const badFormat = await http(host, `/download/run?id=1&format=csv&token=${host.token}`);
    assert.equal(badFormat.status, 400);
    assert.match(JSON.parse(badFormat.body).error.message, /format must be perfetto or parquet/);
    const post = await http(host, '/download/notebook', {
      method: 'POST',
      headers: { authorization: `Bearer ${host.token}` },
    });
    assert.equal(post.status, 405);
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin, even with the token', async () => {
    const auth = { authorization: `Bearer ${host.token}` };
    for (const h of [
      'evil.example:80',
      `evil.example:${host.port}`,
      '127.0.0.1:1',
      `0.0.0.0:${host.port}`,
    ]) {
      const r = await api({ ...auth, host: h });
      assert.equal(r.status, 403, h);
      assert.match(JSON.parse(r.body).error.message, /Host/);
    }
    for (const o of [
      'http://evil.example',
      `http://evil.example:${host.port}`,
      'null',
      `https://127.0.0.1:${host.port}`,
    ]) {
      const r = await api({ ...auth, origin: o });
      assert.equal(r.status, 403, o);
    }
    assert.equal(calls.length, 0);
  });

  it('serves the API and the page with the token, with our own Origin, under a strict CSP', async () => {
    const r = await api({
      authorization: `Bearer ${host.token}`,
      origin: `http://127.0.0.1:${host.port}`,
    });
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body), { ok: true, value: { id: 1, title: 'ok' } });
    const page = await http(host, `/?token=${host.token}`);
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
    const cookie = String(page.headers['set-cookie']);
    assert.match(cookie, /HttpOnly; SameSite=Strict/);
    const asset = await http(host, '/app.js', { headers: { cookie: cookie.split(';')[0] } });
    assert.equal(asset.status, 200);
  });

  it('answers malformed calls with typed errors and never escapes the renderer folder', async () => {
    const auth = { authorization: `Bearer ${host.token}` };
    const bad = await http(host, '/api/experiments.get', {
      method: 'POST',
      headers: auth,
      body: '{not json',
    });
    assert.equal(bad.status, 400);
    assert.equal(JSON.parse(bad.body).error.code, 'invalid-argument');
    const unknown = await http(host, '/api/nope', { method: 'POST', headers: auth, body: '{}' });
    assert.equal(JSON.parse(unknown.body).error.code, 'unknown-channel');
    const trav = await http(host, '/..%2f..%2fetc%2fpasswd', { headers: auth });
    assert.equal(trav.status, 404);
  });

  it('stores uploads under the upload folder only', async () => {
    const r = await http(host, '/upload?name=../../evil.bin', {
      method: 'POST',
      headers: { authorization: `Bearer ${host.token}` },
      body: 'xentrace-bytes',
    });
    const path = JSON.parse(r.body).value.path as string;
    assert.ok(path.startsWith(join(dir, 'up')));
    assert.equal(readFileSync(path, 'utf8'), 'xentrace-bytes');
  });

  it('WebSocket events need the token and our Origin; with them, push events arrive', async () => {
    const url = `ws://127.0.0.1:${host.port}/events`;
    const refused = (u: string, origin?: string) =>
      new Promise<boolean>((resolve) => {
        const ws = new WebSocket(u, { origin });
        ws.on('open', () => {
          ws.close();
          resolve(false);
        });
        ws.on('error', () => resolve(true));
      });
    assert.equal(await refused(url), true);
    assert.equal(await refused(`${url}?token=${host.token}`, 'http://evil.example'), true);
    const ws = new WebSocket(`${url}?token=${host.token}`, {
      origin: `http://127.0.0.1:${host.port}`,
    });
    await new Promise((r) => ws.on('open', r));
    const got = new Promise<string>((r) => ws.on('message', (m) => r(m.toString())));
    events.emit('job.progress', { jobId: 'j1', fraction: 0.5 });
    assert.deepEqual(JSON.parse(await got), {
      event: 'job.progress',
      payload: { jobId: 'j1', fraction: 0.5 },
    });
    ws.close();
  });
});
