/**
 * End-to-end, issue 3 in the real shell (the built renderer served by the browser host, driven
 * by Debian's chromium as a user would): a tiny simulation from New simulation; Markdown notes
 * with their live preview and an annotation, persisted across a reload and drawn on the Run
 * view's charts; a 2x2x2 sweep from the Setup tab's "Sweep from this run" (8 saved runs with the
 * right parameters, the table, the parallel-coordinates chart, Compare of two points); Re-run and
 * verify (identical, then different once the stored parameters changed underneath); a Markdown
 * report with chart PNGs from the experiment header's Export menu; the whole notebook exported
 * from the sidebar's Export menu, opened in a fresh Store, and imported back under new ids.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { dispatch } from '../../main/api/dispatch';
import { isPng } from '../../main/notebook/report';
import { Store } from '../../main/store/store';
import type { ApiResponses, Channel } from '../../shared/api';
import type { SimParams } from '../../shared/params';
import { artifactPath, launchBrowser, startLab, type Lab } from './harness';
import { accentPixelsAt, pollUntil } from './page-api';

const BASE_TITLE = 'e2e notebook base';
const SWEEP_TITLE = 'e2e which K';
const NOTES = '## Finding\n\nK = 32 is **enough** here.\n\n- pCPU 0 holds the pile\n';

const tmp = mkdtempSync(join(tmpdir(), 'xpl-e2e-notebook-'));
let lab: Lab;
let browser: Browser;
let page: Page;
let baseId = 0;
let baseParams: SimParams;
const pageErrors: string[] = [];

/** A channel through the lab's own service layer (what the page's `invoke` reaches). */
async function call<C extends Channel>(channel: C, req: unknown): Promise<ApiResponses[C]> {
  const r = await dispatch(lab.services.handlers, channel, req);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.value as ApiResponses[C];
}

/** Painted (alpha > 0) pixels of every canvas under `selector`: a blank chart has none. */
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
  lab = await startLab();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', (e) => pageErrors.push(e.stack ?? String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/favicon/.test(m.location().url))
      pageErrors.push(`${m.text()} (${m.location().url})`);
  });
});

after(async () => {
  await browser?.close();
  await lab?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('notebook e2e in the app shell', () => {
  it('notes and an annotation persist across a reload and are drawn on the Run view', async () => {
    // A tiny simulation from New simulation: every vCPU piled on pCPU 0, series K = 1.
    await page.goto(lab.url);
    await page.locator('button.new-sim').click();
    await page.getByRole('heading', { name: 'New simulation' }).waitFor();
    const fields: [string, string][] = [
      ['workload.pcpus', '4'],
      ['workload.domains', '4'],
      ['workload.vcpusPerDomain', '8'],
      ['workload.runNs', '1'],
      ['workload.blockNs', '4'],
      ['workload.durationNs', '20'],
      ['policy.K', '1'],
      ['seed', '1'],
      ['buckets', '64'],
    ];
    for (const [name, v] of fields) await page.locator(`[name="${name}"]`).fill(v);
    await page.locator('[name="workload.placement"]').selectOption('pcpu0');
    await page.locator('[name="policy.policy"]').selectOption('series');
    await page.locator('#sim-title').fill(BASE_TITLE);
    await page.locator('button.run-btn').click();
    await page.locator('.tabs button[data-tab="run"].active').waitFor({ timeout: 60_000 });
    baseId = Number(/#\/experiment\/(\d+)\//.exec(page.url())?.[1]);
    assert.ok(baseId > 0, `the run opened: ${page.url()}`);
    const base = await call('experiments.get', { id: baseId });
    const bp = (baseParams = base.params as SimParams);
    assert.deepEqual(
      [bp.workload.pcpus, bp.workload.placement, bp.policy.policy, bp.policy.K, bp.seed],
      [4, 'pcpu0', 'series', 1, 1],
    );

    // Markdown notes: the preview renders them live, Ctrl+S saves.
    await page.locator('.tabs button[data-tab="notes"]').click();
    const editor = page.locator('textarea.notes-editor');
    await editor.fill(NOTES);
    await page.locator('.notes-preview h2', { hasText: 'Finding' }).waitFor();
    assert.equal(await page.locator('.notes-preview strong').textContent(), 'enough');
    assert.equal(await page.locator('.notes-preview li').textContent(), 'pCPU 0 holds the pile');
    await editor.press('Control+s');
    await page.waitForFunction(() =>
      /^saved/.test(
        document.querySelector('[data-testid="notes-state"]')?.textContent?.trim() ?? '',
      ),
    );

    // An annotation at 5 ms on pCPU 1.
    await page.getByLabel('Annotation time').fill('5');
    await page.getByLabel('Annotation pCPU').fill('1');
    await page.getByLabel('Annotation text').fill('first spike');
    await page.locator('button.add-annotation-btn').click();
    await page.locator('tr.annotation-row', { hasText: 'first spike' }).waitFor();
    await page.screenshot({ path: artifactPath('notebook-notes.png'), fullPage: true });

    // Reload: the same experiment and tab reopen from the URL, with both.
    await page.reload();
    await page.locator('h1.exp-title', { hasText: BASE_TITLE }).waitFor();
    await page.locator('.notes-preview strong', { hasText: 'enough' }).waitFor();
    assert.equal(await editor.inputValue(), NOTES);
    const row = page.locator('tr.annotation-row', { hasText: 'first spike' });
    await row.waitFor();
    assert.match(await row.innerText(), /^5 ms\s+1\s/);
    assert.equal((await call('experiments.get', { id: baseId })).notes, NOTES);
    assert.deepEqual(
      (await call('annotations.list', { experimentId: baseId })).map((a) => [
        a.tNs,
        a.pcpu,
        a.text,
      ]),
      [[5e6, 1, 'first spike']],
    );

    // Clicking it opens the Run view at that time; the charts draw it as a vertical line.
    await row.click();
    await page.locator('.tabs button[data-tab="run"].active').waitFor();
    const view = page.locator(`[data-testid=run-view][data-experiment="${baseId}"]`);
    await view.waitFor();
    await page.locator(`[data-testid=run-view][data-cursor="${5e6}"]`).waitFor();
    for (const id of ['chart-heatmap', 'chart-system', 'chart-toplists'])
      await page.locator(`[data-testid=${id}][data-painted="1"]`).waitFor({ timeout: 30_000 });
    const [t0, t1] = (await view.getAttribute('data-range'))!.split(':').map(Number);
    assert.ok(t0 <= 5e6 && 5e6 <= t1, `5 ms is in view (${t0}..${t1})`);
    // The annotations arrive after the summary: wait (generously) for the repaint that has them.
    for (const id of ['chart-system', 'chart-toplists']) {
      const { at, away } = await pollUntil(
        async () => ({
          at: await accentPixelsAt(page, id, 5e6, t0, t1),
          away: await accentPixelsAt(page, id, t0 + (t1 - t0) * 0.8, t0, t1),
        }),
        (r) => r.at > 40 && r.at > r.away + 30,
      );
      assert.ok(at > 40 && at > away + 30, `${id}: annotation line (${at} vs ${away} away)`);
    }
    await page.screenshot({ path: artifactPath('notebook-run-annotation.png') });
  });

  it('runs a 2x2x2 sweep from "Sweep from this run": 8 saved runs, table, chart, Compare', async () => {
    await page.locator('.tabs button[data-tab="setup"]').click();
    await page.locator('button.sweep-from-btn').click();
    await page.getByTestId('sweep-view').waitFor();
    assert.equal(await page.getByTestId('sweep-base-kind').inputValue(), 'experiment');
    assert.equal(await page.getByTestId('sweep-base-id').inputValue(), String(baseId));
    const axes = page.getByTestId('sweep-axis');
    // The default grid is K x policy; add a third axis (seed).
    assert.equal(await axes.count(), 2);
    await page.getByRole('button', { name: '+ axis' }).click();
    assert.equal(await axes.count(), 3);
    const grid: [string, string][] = [
      ['policy.K', '0, 32'],
      ['policy.policy', 'upstream, series'],
      ['seed', '1, 2'],
    ];
    for (const [i, [path, values]] of grid.entries()) {
      await page.getByLabel(`axis ${i + 1} path`).fill(path);
      await page.getByLabel(`axis ${i + 1} values`).fill(values);
    }
    await page.getByTestId('sweep-title').fill(SWEEP_TITLE);
    // Every point runs, upstream's K repeats included (they are on by default run once).
    await page.getByTestId('sweep-once').uncheck();
    assert.equal(await page.getByTestId('sweep-count').textContent(), '8 runs');
    await page.getByTestId('sweep-run').click();
    await page.getByTestId('sweep-progress').waitFor();
    await page
      .getByTestId('sweep-progress-detail')
      .filter({ hasText: /^8 \/ 8 points saved/ })
      .waitFor({ timeout: 60_000 });
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=sweep-row]').length === 8,
    );

    // Through the API: one group of 8 saved simulations, each the base with its grid point.
    const group = (await call('sweeps.list', {})).find((g) => g.title === SWEEP_TITLE);
    assert.ok(group, 'the sweep is listed');
    assert.deepEqual([group.state, group.points, group.saved], ['done', 8, 8]);
    const detail = await call('sweeps.get', { groupId: group.id });
    assert.equal(detail.points.length, 8);
    const byId = new Map<number, SimParams>();
    for (const p of detail.points) {
      const e = await call('experiments.get', { id: p.experimentId });
      assert.equal(e.groupId, group.id);
      assert.equal(e.hasResult, true);
      const sp = e.params as SimParams;
      assert.deepEqual(p.values, {
        'policy.K': sp.policy.K,
        'policy.policy': sp.policy.policy,
        seed: sp.seed,
      });
      // Everything else is the base's.
      assert.deepEqual(sp.workload, baseParams.workload);
      byId.set(p.experimentId, sp);
    }
    const combos = [...byId.values()].map((p) => `${p.policy.K}/${p.policy.policy}/${p.seed}`);
    assert.deepEqual(combos.sort(), [
      '0/series/1',
      '0/series/2',
      '0/upstream/1',
      '0/upstream/2',
      '32/series/1',
      '32/series/2',
      '32/upstream/1',
      '32/upstream/2',
    ]);

    // The page's table: the same 8 runs with the same values.
    const cells = await page
      .getByTestId('sweep-row')
      .evaluateAll((rows) =>
        rows.map((r) => [...r.querySelectorAll('td')].slice(1, 5).map((td) => td.innerText.trim())),
      );
    assert.deepEqual(
      cells.map((c) => c.join(' ')).sort(),
      [...byId.entries()]
        .map(([id, p]) => `#${id} ${p.policy.K} ${p.policy.policy} ${p.seed}`)
        .sort(),
    );

    // The parallel-coordinates chart is drawn.
    await page.waitForSelector('[data-testid=sweep-parallel][data-painted="1"]');
    const ink = await inkedPixels('[data-testid=sweep-parallel]');
    assert.ok(ink > 2000, `parallel coordinates painted pixels: ${ink}`);

    // The notebook sidebar groups the points under their sweep.
    await page
      .locator('.nb-group .group-head', { hasText: SWEEP_TITLE })
      .locator('.num', { hasText: /^8$/ })
      .waitFor();

    // Select two points (K 0 upstream seed 1, K 32 series seed 1) and compare them.
    const pick = (k: number, pol: string) =>
      [...byId.entries()].find(
        ([, p]) => p.policy.K === k && p.policy.policy === pol && p.seed === 1,
      )![0];
    const a = pick(0, 'upstream');
    const b = pick(32, 'series');
    await page.getByLabel(`select run ${a}`).check();
    await page.getByLabel(`select run ${b}`).check();
    await page.waitForSelector('[data-testid=sweep-parallel][data-painted="1"]');
    await page.screenshot({ path: artifactPath('notebook-sweep.png'), fullPage: true });
    await page.getByTestId('sweep-compare').click();
    await page.getByTestId('compare-view').waitFor();
    assert.match(page.url(), new RegExp(`#/compare/${a},${b}$`));
    await page.getByTestId('param-table').waitFor();
    const keys = () =>
      page
        .getByTestId('param-row')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
    assert.deepEqual(await keys(), ['policy.K', 'policy.policy']);
    assert.deepEqual(
      await page
        .locator('[data-testid=param-row][data-key="policy.K"] td')
        .evaluateAll((tds) => tds.map((td) => td.textContent?.trim())),
      ['0', '32'],
    );
    await page.screenshot({ path: artifactPath('notebook-compare.png') });
    await page.getByTestId('show-all-params').check();
    assert.ok((await keys()).length > 10, 'show all lists the identical parameters too');
  });

  it('re-run and verify says identical, then different once a parameter changed underneath', async () => {
    await page.locator(`.nb-item[data-id="${baseId}"]`).first().click();
    await page.locator('h1.exp-title', { hasText: BASE_TITLE }).waitFor();
    await page.locator('.tabs button[data-tab="setup"]').click();
    const button = page.getByTestId('verify-button');
    await button.click();
    const outcome = page.getByTestId('verify-outcome');
    await outcome.waitFor({ timeout: 60_000 });
    assert.equal(await outcome.getAttribute('data-outcome'), 'identical');
    assert.match((await outcome.textContent()) ?? '', /Identical/);
    await page.getByTestId('provenance-panel').screenshot({
      path: artifactPath('notebook-verify-identical.png'),
    });

    // Change K in the stored parameters with a second SQLite connection, then verify again.
    const db = new Database(lab.dbPath);
    const { params_json: stored } = db
      .prepare('SELECT params_json FROM experiments WHERE id = ?')
      .get(baseId) as { params_json: string };
    const p = JSON.parse(stored) as SimParams;
    const changed = { ...p, policy: { ...p.policy, K: 7 } };
    db.prepare('UPDATE experiments SET params_json = ? WHERE id = ?').run(
      JSON.stringify(changed),
      baseId,
    );
    try {
      await button.click();
      await page
        .locator('[data-testid=verify-outcome][data-outcome=different]')
        .waitFor({ timeout: 60_000 });
      const text = (await outcome.textContent()) ?? '';
      assert.match(text, /Different/);
      assert.match(text, /summary\.K: stored 1, recomputed 7/);
      await page.getByTestId('provenance-panel').screenshot({
        path: artifactPath('notebook-verify-different.png'),
      });
    } finally {
      db.prepare('UPDATE experiments SET params_json = ? WHERE id = ?').run(stored, baseId);
      db.close();
    }
  });

  it('exports a Markdown report with chart PNGs from the experiment header', async () => {
    const dir = join(tmp, 'report');
    await page.locator('.exp-head [data-testid=export-menu-button]').click();
    await page.locator('.exp-head [data-testid=export-report]').click();
    const form = page.locator('.exp-head [data-testid=export-form]');
    await form.getByTestId('export-path').fill(dir);
    await form.getByTestId('export-go').click();
    await form.getByTestId('export-files').waitFor({ timeout: 60_000 });
    assert.match((await form.getByTestId('export-message').textContent()) ?? '', /Wrote 4 file/);
    await page.screenshot({ path: artifactPath('notebook-report-export.png') });

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
    assert.match(md, new RegExp(`^# ${BASE_TITLE}`, 'm'));
    for (const f of ['heatmap.png', 'h-bound.png', 'walks.png'])
      assert.match(md, new RegExp(`!\\[[^\\]]+\\]\\(${f.replace('.', '\\.')}\\)`));
    assert.match(md, /K = 32 is \*\*enough\*\* here/);
    assert.match(md, /first spike/);
    assert.match(md, /\| engine version \| /);
    await form.getByRole('button', { name: 'Close' }).click();
  });

  it('exports the notebook from the sidebar, opens it in a fresh Store, imports it back', async () => {
    const before = (await call('experiments.list', {})).sort((x, y) => x.id - y.id);
    assert.equal(before.length, 9);
    const records = new Map<number, unknown>();
    for (const e of before) records.set(e.id, await call('experiments.get', { id: e.id }));

    const file = join(tmp, 'copy', 'notebook.db');
    const menu = page.locator('.nb-head');
    await menu.getByTestId('export-menu-button').click();
    await menu.getByTestId('export-notebook-export').click();
    await menu.getByTestId('export-path').fill(file);
    await menu.getByTestId('export-go').click();
    await menu
      .getByTestId('export-message')
      .filter({ hasText: `Exported 9 experiment(s) to ${file}` })
      .waitFor();
    await page.screenshot({ path: artifactPath('notebook-export.png') });
    assert.ok(existsSync(file));

    const fresh = Store.open(file);
    try {
      const inFile = fresh.listExperiments().sort((x, y) => x.id - y.id);
      assert.deepEqual(
        inFile.map((e) => [e.id, e.title, e.groupId, e.hasResult]),
        before.map((e) => [e.id, e.title, e.groupId, e.hasResult]),
      );
      for (const e of inFile) assert.deepEqual(fresh.getExperiment(e.id), records.get(e.id));
      assert.deepEqual(
        fresh.listAnnotations(baseId).map((a) => a.text),
        ['first spike'],
      );
    } finally {
      fresh.close();
    }

    // Import it back: merged under new ids, nothing overwritten.
    await menu.getByTestId('export-menu-button').click();
    await menu.getByTestId('export-notebook-import').click();
    await menu.getByTestId('export-path').fill(file);
    await menu.getByTestId('export-go').click();
    await menu
      .getByTestId('export-message')
      .filter({ hasText: 'Imported 9 experiment(s) and 1 sweep(s) under new ids' })
      .waitFor({ timeout: 30_000 });
    await page.screenshot({ path: artifactPath('notebook-import.png') });

    const afterList = await call('experiments.list', {});
    assert.equal(afterList.length, 18);
    const oldIds = new Set(before.map((e) => e.id));
    const added = afterList.filter((e) => !oldIds.has(e.id)).sort((x, y) => x.id - y.id);
    assert.equal(added.length, 9);
    assert.ok(added[0].id > Math.max(...oldIds), 'new ids after the existing ones');
    for (const e of before)
      assert.deepEqual(await call('experiments.get', { id: e.id }), records.get(e.id));
    assert.deepEqual(added.map((e) => e.title).sort(), before.map((e) => e.title).sort());
    const copy = added.find((e) => e.title === BASE_TITLE)!;
    assert.equal((await call('experiments.get', { id: copy.id })).notes, NOTES);
    assert.deepEqual(
      (await call('annotations.list', { experimentId: copy.id })).map((a) => a.text),
      ['first spike'],
    );
    const groups = await call('sweeps.list', {});
    assert.equal(groups.length, 2);
    assert.ok(groups.every((g) => g.saved === 8 && g.title === SWEEP_TITLE));
    const newGroup = groups.find((g) => g.id !== before.find((e) => e.groupId)!.groupId)!;
    assert.deepEqual(
      added.filter((e) => e.groupId !== null).map((e) => e.groupId),
      Array(8).fill(newGroup.id),
    );

    // The sidebar lists all 18.
    await page.waitForFunction(
      () =>
        new Set([...document.querySelectorAll('.nb-item')].map((e) => e.getAttribute('data-id')))
          .size === 18,
    );
    assert.deepEqual(pageErrors, []);
  });
});
