/**
 * Run view loading states (issue 12 item 4): every panel that waits for main says that it is
 * loading, and what. The waits are made deterministic by holding the browser host's
 * `/api/run.series`, `/api/run.lengthsAt` and `/api/run.listAt` requests (Playwright routes) until
 * the test releases them; then the loading notes go and the answers are drawn.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page, Route } from 'playwright-core';
import { artifactPath, useLabPage } from './harness';
import { GRID_LEFT, GRID_RIGHT, runSimulation, SMALL_RUN } from './page-api';

const ui = useLabPage({ width: 1400, height: 1100 });

/** Holds every request to `/api/<channel>` until `release()`; `held` counts those waiting. */
async function hold(page: Page, channel: string) {
  const waiting: Route[] = [];
  let open = false;
  const pattern = `**/api/${channel}`;
  await page.route(pattern, (route) => {
    if (open) return route.continue();
    waiting.push(route);
  });
  return {
    get held() {
      return waiting.length;
    },
    async release() {
      open = true;
      await Promise.all(waiting.splice(0).map((r) => r.continue()));
      await page.unroute(pattern);
    },
  };
}

const text = (page: Page, sel: string) => page.locator(sel).innerText();

test('Run view: the time charts, the lengths at the cursor and the list say what they load', async () => {
  await ui.page.goto(ui.lab.url);
  await ui.page.waitForLoadState('networkidle');
  const id = await runSimulation(ui.page, SMALL_RUN, 'e2e loading states');

  // Opening: the three time charts wait for the binned series and say so.
  const series = await hold(ui.page, 'run.series');
  await ui.page.goto(`${ui.lab.url.replace(/#.*$/, '')}#/experiment/${id}/run`);
  for (const c of ['chart-heatmap', 'chart-system', 'chart-toplists']) {
    const note = ui.page.locator(`[data-testid=${c}] [data-testid=chart-loading]`);
    await note.waitFor();
    assert.match(await note.innerText(), /^loading 8 pCPUs × [\d,]+ buckets of [\d.]+ ms…$/);
  }
  assert.ok(series.held >= 1, 'the series request is held');
  await series.release();
  await ui.page.locator('[data-testid=chart-heatmap][data-painted="1"]').waitFor();
  assert.equal(
    await ui.page.locator('[data-testid=chart-heatmap] [data-testid=chart-loading]').count(),
    0,
  );

  // First cursor click: the bars say they load the lengths at the cursor's time, not "click…".
  const lengths = await hold(ui.page, 'run.lengthsAt');
  const sysBox = (await ui.page
    .locator('[data-testid=chart-system] .echart-canvas')
    .boundingBox())!;
  const gridW = sysBox.width - GRID_LEFT - GRID_RIGHT;
  await ui.page.mouse.click(sysBox.x + GRID_LEFT + gridW * 0.4, sysBox.y + 120);
  const barsNote = ui.page.locator('[data-testid=chart-cursor-bars] [data-testid=chart-loading]');
  await barsNote.waitFor();
  const cursorLabel = (await text(ui.page, '[data-testid=run-nav] .nav-info')).match(
    /cursor ([^ ]+ [^ ]+)/,
  )![1];
  assert.equal(
    await barsNote.innerText(),
    `loading the list lengths of 8 pCPUs at ${cursorLabel}…`,
  );
  assert.doesNotMatch(
    await text(ui.page, '[data-testid=chart-cursor-bars]'),
    /place the cursor/,
    'no "place the cursor" prompt once the cursor is placed',
  );

  // The list of a pCPU typed meanwhile says it is loading that pCPU's list at that time.
  const list = await hold(ui.page, 'run.listAt');
  await ui.page.locator('[data-testid=pcpu-list] input[aria-label=pCPU]').fill('1');
  await ui.page.locator('[data-testid=pcpu-list] input[aria-label=pCPU]').press('Enter');
  const listNote = ui.page.locator('[data-testid=list-loading]');
  await listNote.waitFor();
  assert.equal(await listNote.innerText(), `loading pCPU 1's list at ${cursorLabel}…`);
  assert.match(await text(ui.page, '[data-testid=pcpu-list] h3'), /1 list at .*: … entries/);
  await ui.page.locator('[data-testid=pcpu-list]').scrollIntoViewIfNeeded();
  await ui.page.screenshot({ path: artifactPath('run-loading-states.png') });

  // Released: the notes go, the bars are painted and the list shows its rows and total.
  await lengths.release();
  await list.release();
  await ui.page.locator('[data-testid=chart-cursor-bars][data-painted="1"]').waitFor();
  assert.equal(await barsNote.count(), 0);
  await ui.page.locator('[data-testid=pcpu-list][data-pcpu="1"]:not([data-total=""])').waitFor();
  await listNote.waitFor({ state: 'detached' });
  assert.match(await text(ui.page, '[data-testid=pcpu-list] h3'), /1 list at .*: [\d,]+ entries/);
  assert.deepEqual(ui.pageErrors, []);
});
