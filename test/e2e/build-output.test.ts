/**
 * The Electron build (out/, made by `electron-vite build` before the e2e tests) has what the shell
 * loads at run time: a CommonJS preload (a sandboxed preload cannot be an ES module), the job
 * worker beside the main bundle, and a renderer page under a strict CSP.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from './harness';

const out = (p: string) => join(ROOT, 'out', p);

describe('Electron build output', () => {
  it('the preload is CommonJS and needs nothing but electron', () => {
    const code = readFileSync(out('preload/index.cjs'), 'utf8');
    assert.match(code, /require\("electron"\)/);
    assert.doesNotMatch(code, /^\s*import\s/m);
    const required = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(required)], ['electron']);
  });

  it('the main bundle loads that preload and has its job worker beside it', () => {
    const main = readFileSync(out('main/index.js'), 'utf8');
    assert.match(main, /preload\/index\.cjs/);
    assert.ok(existsSync(out('main/job-worker.js')));
  });

  it('the renderer page declares a strict CSP and loads only its own scripts', () => {
    const html = readFileSync(out('renderer/index.html'), 'utf8');
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html)?.[1] ?? '';
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /object-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-eval/);
    for (const m of html.matchAll(/<script[^>]*src="([^"]+)"/g))
      assert.ok(m[1].startsWith('./') || m[1].startsWith('/'), m[1]);
    assert.doesNotMatch(html, /<script(?![^>]*src=)[^>]*>\s*\S/, 'no inline script');
  });
});
