/**
 * Run view end to end (issue 6 items 2, 4, 5): a small simulation started through the API
 * (`sim.start` from the ui.page), its Run view drawn (canvas pixels sampled: heatmap not blank, the
 * bound line's colour on the H / bound chart), the time cursor dragged, a bar clicked, and the
 * pCPU's list checked row by row against the engine's own `simulate` + `listAt` at the same time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { artifactPath, useLabPage } from './harness';
import { api, canvasStats, GRID_LEFT, GRID_RIGHT, runSimulation, SMALL_RUN } from './page-api';
import { lengthsAt, listAt, simulate } from '../../main/engine/index';
import { SimParamsSchema } from '../../shared/params';
import type { RunResult } from '../../shared/results';

const ui = useLabPage({ width: 1400, height: 1100 });

test('Run view: charts drawn, cursor drag, bar click opens the list the engine has', async () => {
  await ui.page.goto(ui.lab.url);
  await ui.page.waitForLoadState('networkidle');
  const id = await runSimulation(ui.page, SMALL_RUN, 'e2e run view');
  await api(ui.page, 'annotations.add', {
    experimentId: id,
    tNs: 2.5e7,
    pcpu: 1,
    text: 'e2e note',
  });

  // The engine's own answer for the same params (deterministic given the seed).
  const expected: RunResult = simulate(SimParamsSchema.parse(SMALL_RUN));

  await ui.page.goto(`${ui.lab.url.replace(/#.*$/, '')}#/experiment/${id}/run`);
  const view = ui.page.locator(`[data-testid=run-view][data-experiment="${id}"]`);
  await view.waitFor();
  await ui.page.locator('[data-testid=chart-heatmap][data-painted="1"]').waitFor();
  await ui.page.locator('[data-testid=chart-system][data-painted="1"]').waitFor();
  await ui.page.locator('[data-testid=chart-toplists][data-painted="1"]').waitFor();

  // Summary cards show the engine's numbers.
  const maxCard = ui.page.locator('[data-card="max-list"] .card-value');
  assert.equal(
    (await maxCard.innerText()).replace(/,/g, ''),
    String(expected.summary.maxListLength),
  );

  // Heatmap: many painted, varied pixels; H / bound chart: the bound colour is there.
  const hm = await canvasStats(ui.page, 'chart-heatmap');
  assert.ok(hm.painted > 20_000, `heatmap painted pixels: ${hm.painted}`);
  assert.ok(hm.colours > 8, `heatmap colours: ${hm.colours}`);
  const sys = await canvasStats(ui.page, 'chart-system', '--danger');
  assert.ok(sys.painted > 5_000, `H/bound chart painted pixels: ${sys.painted}`);
  assert.ok(sys.match > 100, `bound-coloured pixels on the H/bound chart: ${sys.match}`);
  const top = await canvasStats(ui.page, 'chart-toplists', '--danger');
  assert.ok(top.match > 100, `bound line on the top-N chart: ${top.match}`);
  await ui.page.screenshot({ path: artifactPath('run-view.png'), fullPage: true });

  // Place the cursor with a click on the H / bound chart, then drag its handle.
  const sysBox = (await ui.page
    .locator('[data-testid=chart-system] .echart-canvas')
    .boundingBox())!;
  const gridW = sysBox.width - GRID_LEFT - GRID_RIGHT;
  const y = sysBox.y + 120;
  await ui.page.mouse.click(sysBox.x + GRID_LEFT + gridW * 0.25, y);
  await ui.page.waitForFunction(() => {
    const el = document.querySelector('[data-testid=run-view]') as HTMLElement;
    return el.dataset.cursor !== '';
  });
  const before = Number(await view.getAttribute('data-cursor'));
  const line = (await ui.page
    .locator('[data-testid=chart-system] [data-testid=cursor-line]')
    .boundingBox())!;
  const x0 = line.x + line.width / 2;
  const x1 = sysBox.x + GRID_LEFT + gridW * 0.62;
  await ui.page.mouse.move(x0, y);
  await ui.page.mouse.down();
  for (let i = 1; i <= 8; i++) await ui.page.mouse.move(x0 + ((x1 - x0) * i) / 8, y);
  await ui.page.mouse.up();
  await ui.page.waitForFunction(
    (b) =>
      Number((document.querySelector('[data-testid=run-view]') as HTMLElement).dataset.cursor) > b,
    before,
  );
  const tNs = Number(await view.getAttribute('data-cursor'));
  assert.ok(tNs > before, 'the drag moved the cursor forward');
  assert.ok(tNs > 5e7 && tNs < 7.5e7, `cursor near 62 % of 100 ms: ${tNs}`);

  // Bars at the cursor: the engine's lengths; click the longest bar.
  const lens = lengthsAt(expected, tNs);
  await ui.page.locator('[data-testid=chart-cursor-bars][data-painted="1"]').waitFor();
  const sum = lens.lengths.reduce((a, b) => a + b, 0);
  await ui.page
    .locator('[data-testid=chart-cursor-bars] h3', {
      hasText: `listed ${sum.toLocaleString('en-US')}`,
    })
    .waitFor();
  await ui.page
    .locator('[data-testid=chart-cursor-bars]')
    .screenshot({ path: artifactPath('run-view-bars.png') });
  const bars = await canvasStats(ui.page, 'chart-cursor-bars', '--danger');
  assert.ok(bars.match > 50, `bound line on the bars: ${bars.match}`);
  let pick = 0;
  lens.lengths.forEach((v, p) => {
    if (v > lens.lengths[pick]) pick = p;
  });
  assert.ok(lens.lengths[pick] > 0, 'some list is not empty at the cursor');
  const barBox = (await ui.page
    .locator('[data-testid=chart-cursor-bars] .echart-canvas')
    .boundingBox())!;
  const P = lens.lengths.length;
  const bw = (barBox.width - GRID_LEFT - GRID_RIGHT) / P;
  await ui.page.mouse.click(barBox.x + GRID_LEFT + bw * (pick + 0.5), barBox.y + 220 - 40 - 4);

  // The list: the engine's rows at the same instant, same order.
  const list = ui.page.locator(`[data-testid=pcpu-list][data-pcpu="${pick}"][data-t="${tNs}"]`);
  await list.waitFor();
  const want = listAt(expected, tNs, pick, 0, 16);
  assert.equal(Number(await list.getAttribute('data-total')), want.total);
  assert.equal(want.total, lens.lengths[pick]);
  const rows = list.locator('[data-testid=list-row]');
  await ui.page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid=list-row] .c-on').length >= n,
    Math.min(16, want.total),
  );
  const got = await rows.evaluateAll((els) =>
    els.map((e) => ({
      v: e.querySelector('.c-v')?.textContent?.trim(),
      on: e.querySelector('.c-on')?.textContent?.trim(),
      place: e.querySelector('.c-p')?.textContent?.trim(),
    })),
  );
  assert.deepEqual(
    got.map((r) => r.v),
    want.rows.map((r) => `d${r.dom}v${r.vcpu}`),
  );
  assert.deepEqual(
    got.map((r) => r.on),
    want.rows.map((r) => (r.on ? '1' : '0')),
  );
  assert.deepEqual(
    got.map((r) => r.place?.startsWith('remote')),
    want.rows.map((r) => r.remote),
  );
  await ui.page.screenshot({ path: artifactPath('run-view-cursor-list.png'), fullPage: true });

  // Search narrows the list to one vCPU (engine semantics: the d<dom>v<vcpu> text).
  const first = want.rows[0];
  await ui.page.locator('[data-testid=list-search]').fill(`d${first.dom}v${first.vcpu}`);
  const searched = listAt(expected, tNs, pick, 0, 16, `d${first.dom}v${first.vcpu}`);
  await ui.page.locator(`[data-testid=pcpu-list][data-total="${searched.total}"]`).waitFor();
  assert.ok(searched.total >= 1);

  // Keyboard zoom (W) narrows the range and re-queries the series for it; A pans.
  const r0 = (await view.getAttribute('data-range'))!;
  await ui.page
    .locator('body')
    .click({ position: { x: 5, y: 5 } })
    .catch(() => {});
  await ui.page.locator('[data-testid=run-nav] .nav-info').click();
  await ui.page.keyboard.press('w');
  await ui.page.keyboard.press('w');
  await ui.page.waitForFunction(() => {
    const el = document.querySelector('[data-testid=run-view]') as HTMLElement;
    return el.dataset.range === el.dataset.seriesRange;
  });
  const [a0, a1] = r0.split(':').map(Number);
  const [b0, b1] = (await view.getAttribute('data-range'))!.split(':').map(Number);
  assert.ok(b1 - b0 < (a1 - a0) * 0.7, `W zoomed in: ${a1 - a0} -> ${b1 - b0}`);
  await ui.page.locator('[data-testid=chart-heatmap][data-painted="1"]').waitFor();

  // Exact range box.
  await ui.page.locator('[data-testid=range-t0]').fill('10 ms');
  await ui.page.locator('[data-testid=range-t1]').fill('30 ms');
  await ui.page.locator('[data-testid=range-t1]').press('Enter');
  await ui.page.waitForFunction(
    () =>
      (document.querySelector('[data-testid=run-view]') as HTMLElement).dataset.seriesRange ===
      '10000000:30000000',
  );
  await ui.page.locator('[data-testid=chart-heatmap][data-painted="1"]').waitFor();

  // Jump to the longest list: cursor at the engine's time, its pCPU's list opened.
  await ui.page.locator('[data-testid=jump-longest]').click();
  await ui.page
    .locator(
      `[data-testid=pcpu-list][data-pcpu="${expected.summary.maxListPcpu}"][data-t="${expected.summary.maxListAtNs}"]`,
    )
    .waitFor();
  await ui.page.screenshot({ path: artifactPath('run-view-longest.png'), fullPage: true });

  assert.deepEqual(ui.pageErrors, []);
});
