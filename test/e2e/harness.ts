/**
 * End-to-end harness: the real service layer and browser host in this process, on a free
 * loopback port with a temporary notebook, and Debian's chromium driven by playwright-core.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServices, type Services } from '../../main/api/services';
import { startHttpHost } from '../../main/hosts/http/server';

export const ROOT = resolve(import.meta.dirname, '../..');
export const RENDERER_DIR = join(ROOT, 'out', 'renderer');

export interface Lab {
  url: string;
  baseUrl: string;
  token: string;
  dbPath: string;
  services: Services;
  close(): Promise<void>;
}

export async function startLab(opts: { dbPath?: string } = {}): Promise<Lab> {
  const dir = opts.dbPath ? null : mkdtempSync(join(tmpdir(), 'xpl-e2e-'));
  const dbPath = opts.dbPath ?? join(dir!, 'notebook.db');
  const services = createServices({ dbPath, host: 'browser' });
  const host = await startHttpHost({ services, rendererDir: RENDERER_DIR, port: 0 });
  return {
    url: host.url,
    baseUrl: `http://127.0.0.1:${host.port}`,
    token: host.token,
    dbPath,
    services,
    async close() {
      await host.close();
      await services.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: !process.env.HEADFUL,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
}

export function artifactPath(name: string): string {
  const dir = join(ROOT, 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

export interface LabPage {
  lab: Lab;
  browser: Browser;
  page: Page;
  /** Uncaught page errors (and console errors with `consoleErrors`); tests assert it stays empty. */
  pageErrors: string[];
}

/**
 * Registers before/after hooks for the calling test file: a lab with a fresh notebook and one
 * chromium page of the given size, closed after the file's tests. The returned handles are live
 * once the tests run.
 */
export function useLabPage(
  viewport: { width: number; height: number },
  opts: { consoleErrors?: boolean } = {},
): LabPage {
  const ctx = { pageErrors: [] as string[] } as LabPage;
  before(async () => {
    ctx.lab = await startLab();
    ctx.browser = await launchBrowser();
    ctx.page = await ctx.browser.newPage({ viewport });
    ctx.page.on('pageerror', (e) => ctx.pageErrors.push(String(e)));
    if (opts.consoleErrors)
      ctx.page.on('console', (m) => {
        // A missing favicon is not an app error.
        if (m.type() === 'error' && !/favicon/.test(m.location().url))
          ctx.pageErrors.push(`${m.text()} (${m.location().url})`);
      });
  });
  after(async () => {
    await ctx.browser?.close();
    await ctx.lab?.close();
  });
  return ctx;
}
