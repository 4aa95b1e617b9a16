/**
 * End-to-end: the notebook features through the real service layer, the browser host and
 * chromium. The notebook components (SweepView, ProvenancePanel, ExportMenu) are mounted alone
 * by test/fixtures/notebook-ui (built here with Vite), so this runs whether or not the shell
 * mounts them yet.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import vue from '@vitejs/plugin-vue';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { createServices, type Services } from '../../main/api/services';
import { dispatch } from '../../main/api/dispatch';
import { startHttpHost, type HttpHost } from '../../main/hosts/http/server';
import { ENGINE_VERSION, simulate } from '../../main/engine';
import { isPng } from '../../main/notebook/report';
import { Store } from '../../main/store/store';
import { SimParamsSchema, type SimParams } from '../../shared/params';
import { artifactPath, launchBrowser, ROOT } from './harness';
import { PILED } from '../main/notebook/helpers';

const tmp = mkdtempSync(join(tmpdir(), 'xpl-e2e-notebook-'));
const uiDir = join(tmp, 'ui');
let services: Services;
let host: HttpHost;
let browser: Browser;
let page: Page;
let baseId: number;

async function call(channel: string, req: unknown): Promise<unknown> {
  const r = await dispatch(services.handlers, channel, req);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.value;
}

async function go(route: string) {
  await page.goto(`${host.url.replace(/#.*$/, '')}#${route}`);
  await page.reload();
}

/** Non-background pixels of the canvases inside `selector` (a blank chart has none). */
async function inkedPixels(selector: string): Promise<number> {
  return page.$eval(selector, (root) => {
    let n = 0;
    for (const c of root.querySelectorAll('canvas')) {
      const ctx = (c as HTMLCanvasElement).getContext('2d');
      if (!ctx) continue;
      const { data } = ctx.getImageData(0, 0, c.width, c.height);
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    }
    return n;
  });
}

before(async () => {
  await build({
    root: join(ROOT, 'test/fixtures/notebook-ui'),
    base: './',
    configFile: false,
    logLevel: 'warn',
    plugins: [vue()],
    resolve: { alias: { '@shared': join(ROOT, 'shared') } },
    build: { outDir: uiDir, emptyOutDir: true, minify: false, reportCompressedSize: false },
  });
  services = createServices({ dbPath: join(tmp, 'notebook.db'), host: 'browser' });
  host = await startHttpHost({ services, rendererDir: uiDir, port: 0 });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const params = SimParamsSchema.parse(PILED);
  baseId = services.store.saveRun({
    kind: 'simulation',
    title: 'tiny base',
    params,
    seed: params.seed,
    result: simulate(params),
    engineVersion: ENGINE_VERSION,
  });
});

after(async () => {
  await browser?.close();
  await host?.close();
  await services?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('notebook e2e', () => {
  it('notes, tags and annotations persist across a restart and are searchable', async () => {
    await call('experiments.update', {
      id: baseId,
      notes: '## Finding\n\nK = 32 is **enough** here.',
      tags: ['which-k', 'tiny'],
    });
    await call('annotations.add', { experimentId: baseId, tNs: 5e6, pcpu: 1, text: 'first spike' });
    const dbPath = services.store.path;
    const again = Store.open(dbPath); // a second connection sees the committed state
    const e = again.getExperiment(baseId);
    assert.match(e.notes, /\*\*enough\*\*/);
    assert.deepEqual(e.tags, ['tiny', 'which-k']);
    assert.deepEqual(
      again.listAnnotations(baseId).map((a) => [a.tNs, a.pcpu, a.text]),
      [[5e6, 1, 'first spike']],
    );
    assert.deepEqual(
      again.listExperiments({ search: 'enough' }).map((x) => x.id),
      [baseId],
    );
    again.close();
  });

  it('runs a 2x2x2 sweep from the UI: 8 runs in one group, a table of 8 rows, parallel coordinates', async () => {
    await go('sweep');
    await page.getByTestId('sweep-base-kind').selectOption('experiment');
    await page.getByTestId('sweep-base-id').fill(String(baseId));
    const axes = page.getByTestId('sweep-axis');
    await axes.nth(0).locator('input').nth(1).fill('0, 32');
    await axes.nth(1).locator('input').nth(1).fill('upstream, series');
    await axes.nth(2).locator('input').nth(1).fill('1, 2');
    await page.getByTestId('sweep-title').fill('e2e which K');
    assert.equal(await page.getByTestId('sweep-count').textContent(), '8 runs');
    await page.getByTestId('sweep-run').click();
    await page.getByTestId('sweep-progress').waitFor();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=sweep-row]').length === 8,
      undefined,
      { timeout: 60_000 },
    );
    await page.waitForSelector('[data-testid=sweep-parallel][data-painted="1"]');
    await page.waitForFunction(() =>
      /8 \/ 8 points saved/.test(
        document.querySelector('[data-testid=sweep-progress-detail]')?.textContent ?? '',
      ),
    );
    assert.ok((await inkedPixels('[data-testid=sweep-parallel]')) > 2000, 'chart is not blank');

    const started = (await page.getByTestId('emitted').textContent()) ?? '';
    const groupId = Number(/"groupId":(\d+)/.exec(started)?.[1]);
    assert.ok(groupId > 0);
    const items = services.store.listExperiments({ groupId });
    assert.equal(items.length, 8);
    const combos = items
      .map((i) => services.store.getExperiment(i.id).params as SimParams)
      .map((p) => `${p.policy.K}/${p.policy.policy}/${p.seed}/${p.workload.pcpus}`)
      .sort();
    assert.deepEqual(combos, [
      '0/series/1/4',
      '0/series/2/4',
      '0/upstream/1/4',
      '0/upstream/2/4',
      '32/series/1/4',
      '32/series/2/4',
      '32/upstream/1/4',
      '32/upstream/2/4',
    ]);

    // Select two points and compare them.
    const rows = page.getByTestId('sweep-row');
    await rows.nth(0).locator('input[type=checkbox]').check();
    await rows.nth(3).locator('input[type=checkbox]').check();
    await page.waitForSelector('[data-testid=sweep-parallel][data-painted="1"]');
    await page.screenshot({ path: artifactPath('notebook-sweep.png'), fullPage: true });
    await page.getByTestId('sweep-compare').click();
    const emitted = (await page.getByTestId('emitted').textContent()) ?? '';
    const ids = JSON.parse(/compare \[(\[[^\]]*\])\]/.exec(emitted)![1]) as number[];
    assert.equal(ids.length, 2);
    for (const id of ids) assert.ok(items.some((i) => i.id === id));
  });

  it('re-run and verify says identical, then different once a parameter changed underneath', async () => {
    await go(`provenance/${baseId}`);
    await page.getByTestId('verify-button').click();
    const outcome = page.getByTestId('verify-outcome');
    await outcome.waitFor({ timeout: 60_000 });
    assert.equal(await outcome.getAttribute('data-outcome'), 'identical');
    await page.screenshot({ path: artifactPath('notebook-verify-identical.png') });

    const e = services.store.getExperiment(baseId);
    const p = e.params as SimParams;
    services.store.updateExperiment(baseId, { params: { ...p, policy: { ...p.policy, K: 7 } } });
    await page.getByTestId('verify-button').click();
    await page.waitForSelector('[data-testid=verify-outcome][data-outcome=different]', {
      timeout: 60_000,
    });
    assert.match((await outcome.textContent()) ?? '', /summary\.K: stored 1, recomputed 7/);
    await page.screenshot({ path: artifactPath('notebook-verify-different.png') });
    services.store.updateExperiment(baseId, { params: p });
  });

  it('exports a Markdown report folder with the chart PNGs', async () => {
    await go(`export/${baseId}`);
    await page.getByTestId('export-menu-button').click();
    await page.getByTestId('export-report').click();
    const dir = join(tmp, 'report');
    await page.getByTestId('export-path').fill(dir);
    await page.getByTestId('export-go').click();
    await page.getByTestId('export-files').waitFor({ timeout: 60_000 });
    const files = readdirSync(dir).sort();
    assert.deepEqual(files, ['h-bound.png', 'heatmap.png', 'report.md', 'walks.png']);
    for (const f of files.filter((x) => x.endsWith('.png'))) {
      const bytes = readFileSync(join(dir, f));
      assert.ok(isPng(bytes), `${f} is a PNG`);
      assert.ok(bytes.length > 5000, `${f} has content (${bytes.length} bytes)`);
      copyFileSync(join(dir, f), artifactPath(`notebook-report-${f}`));
    }
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    copyFileSync(join(dir, 'report.md'), artifactPath('notebook-report.md'));
    assert.match(md, /!\[[^\]]+\]\(heatmap\.png\)/);
    assert.match(md, /!\[[^\]]+\]\(walks\.png\)/);
    assert.match(md, /K = 32 is \*\*enough\*\* here/);
    assert.match(md, /first spike/);
    assert.match(md, /\| engine version \| /);
  });

  it('exports the notebook as one file that a fresh Store opens with every experiment, and imports it back', async () => {
    await go(`export/${baseId}`);
    await page.getByTestId('export-menu-button').click();
    await page.getByTestId('export-notebook-export').click();
    const file = join(tmp, 'copy', 'notebook.xpl');
    await page.getByTestId('export-path').fill(file);
    await page.getByTestId('export-go').click();
    await page.getByTestId('export-message').waitFor();
    assert.ok(existsSync(file));
    const ids = services.store
      .listExperiments()
      .map((e) => e.id)
      .sort((a, b) => a - b);
    const fresh = Store.open(file);
    assert.deepEqual(
      fresh
        .listExperiments()
        .map((e) => e.id)
        .sort((a, b) => a - b),
      ids,
    );
    assert.equal(fresh.getExperiment(baseId).notes, services.store.getExperiment(baseId).notes);
    fresh.close();

    // Import it back: everything merged under new ids, nothing overwritten.
    await page.getByTestId('export-menu-button').click();
    await page.getByTestId('export-notebook-import').click();
    await page.getByTestId('export-path').fill(file);
    await page.getByTestId('export-go').click();
    await page.waitForFunction(() =>
      /imported/.test(document.querySelector('[data-testid=emitted]')?.textContent ?? ''),
    );
    assert.equal(services.store.listExperiments().length, ids.length * 2);
    const groups = (await call('sweeps.list', {})) as { id: number; saved: number }[];
    assert.equal(groups.length, 2);
    assert.ok(groups.every((g) => g.saved === 8));
  });
});
