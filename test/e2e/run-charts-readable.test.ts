/**
 * Run view charts that never hide the number (issue 12 items 5, 6 and 11's cursor label): H and
 * online pCPUs in two aligned panels (each line only in its own), the bound drawn as a visible
 * step line (log y by default when H dwarfs it) over exactly the range the toolbar names; the
 * walk-time CDF's axis fitted to the data, its p50 / p95 / p99 / max tabulated, not stacked on
 * the canvas; the cursor's time label clear of the legend.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useLabPage } from './harness';
import { runJob } from './page-api';
import { colourExtent, rgb, shoot, TIME_PLOT } from './views';
import { chartColors } from '../../renderer/src/charts/theme';
import type { SimParamsInput } from '../../shared/params';

const ui = useLabPage({ width: 1600, height: 1000 }, { consoleErrors: true });
const light = chartColors();

/** 512 vCPUs on 128 pCPUs, series K = 1: H = 512 and the bound 1..5 (H / bound ~ 100). */
const WIDE: SimParamsInput = {
  workload: { pcpus: 128, domains: 64, vcpusPerDomain: 8, placement: 'pcpu0', durationNs: 5e7 },
  policy: { policy: 'upstream', K: 1 },
  buckets: 256,
  seed: 9,
};
/** The H / bound chart: 260 px, two panels (upper 127 px from y = 28, lower from y = 177). */
const UPPER = { ...TIME_PLOT, bottom: 260 - 155 };
const LOWER = { ...TIME_PLOT, top: 177 };

test('H / bound / online pCPUs: two panels, the bound visible, the toolbar agrees', async () => {
  await ui.page.goto(ui.lab.url);
  await ui.page.waitForLoadState('networkidle');
  const id = await runJob(ui.page, 'sim.start', { title: 'wide upstream K=1', params: WIDE });
  await ui.page.goto(`${ui.lab.url.replace(/#.*$/, '')}#/experiment/${id}/run`);
  const sys = ui.page.locator('[data-testid=chart-system][data-painted="1"]');
  await sys.waitFor();
  assert.equal(await sys.getAttribute('data-log'), '1', 'log y by default: H is ~100x the bound');

  const h = rgb(light.series[0]);
  const online = rgb(light.series[1]);
  const danger = rgb(
    await ui.page.evaluate(() =>
      getComputedStyle(document.documentElement).getPropertyValue('--danger').trim(),
    ),
  );
  const hUp = await colourExtent(ui.page, 'chart-system', h, UPPER);
  const hLow = await colourExtent(ui.page, 'chart-system', h, LOWER);
  const onUp = await colourExtent(ui.page, 'chart-system', online, UPPER);
  const onLow = await colourExtent(ui.page, 'chart-system', online, LOWER);
  assert.ok(hUp.n > 100 && hLow.n === 0, `H only in the upper panel: ${hUp.n} / ${hLow.n}`);
  assert.ok(onLow.n > 100 && onUp.n === 0, `online only below: ${onLow.n} / ${onUp.n}`);
  const bound = await colourExtent(ui.page, 'chart-system', danger, UPPER);
  assert.ok(bound.n > 100, `bound drawn: ${bound.n}`);
  assert.ok(155 - bound.y0 > 20, `the bound's step rises clear of the axis: top at ${bound.y0}`);
  assert.ok(bound.y1 - bound.y0 > 10, `the step is drawn (${bound.y0}..${bound.y1})`);
  assert.ok(hUp.y0 < bound.y0 - 15, 'H above the bound');

  // The toolbar names the range the chart draws.
  const extent = (await sys.getAttribute('data-bound-extent'))!.split(':').map(Number);
  const inView = await ui.page.getByTestId('in-view').innerText();
  const m = /· bound ([\d,]+)(?:–([\d,]+))?\s*$/.exec(inView);
  assert.ok(m, inView);
  const n = (s: string) => Number(s.replace(/,/g, ''));
  assert.deepEqual([n(m[1]), n(m[2] ?? m[1])], extent);
  assert.ok(extent[1] > extent[0], `the bound changes: ${extent}`);

  // Linear on request: online pCPUs keep their own panel and scale.
  await ui.page.locator('[data-testid=chart-system] input[type=checkbox]').uncheck();
  await ui.page.locator('[data-testid=chart-system][data-log="0"][data-painted="1"]').waitFor();
  const onLow2 = await colourExtent(ui.page, 'chart-system', online, LOWER);
  assert.ok(onLow2.n > 100 && onLow2.y0 < 177 + 15, `online at the top of its panel ${onLow2.y0}`);
  await ui.page.locator('[data-testid=chart-system] input[type=checkbox]').check();

  // Item 11: the cursor's time label does not sit on the legend. The cards above can push the
  // chart below the fold (the status bar would take the click): bring it into view first.
  await ui.page.locator('[data-testid=chart-system]').scrollIntoViewIfNeeded();
  const box = (await ui.page.locator('[data-testid=chart-system] .echart-canvas').boundingBox())!;
  await ui.page.mouse.click(box.x + 72 + 40, box.y + 100);
  const label = ui.page.locator('[data-testid=chart-system] .echart-cursor-label');
  await label.waitFor();
  const lb = (await label.boundingBox())!;
  assert.ok(lb.y >= box.y + 28, `cursor label inside the plot, below the legend: ${lb.y - box.y}`);

  await shoot(ui.page, 'run-h-bound-panels', () => sys.waitFor(), {
    target: () => ui.page.locator('[data-testid=chart-system]'),
  });
  assert.deepEqual(ui.pageErrors, []);
});

test('walk-time CDF: axis fitted to the data, markers tabulated', async () => {
  const walk = ui.page.locator('[data-testid=chart-walk-time][data-painted="1"]');
  await walk.waitFor();
  const [type, lo, hi] = (await walk.getAttribute('data-axis'))!.split(':');
  const st = await ui.page.evaluate(() => {
    const cells = [...document.querySelectorAll('[data-testid=walk-table] tbody tr')][1];
    return cells ? [...cells.querySelectorAll('td')].map((td) => td.textContent) : [];
  });
  assert.ok(st.length === 7, `walk time row: ${st}`);
  // The curve spans most of the plot's width (not 5 % of a decade-wide axis).
  const curve = await colourExtent(ui.page, 'chart-walk-time', rgb(light.series[2]), {
    top: 28,
    bottom: 44,
    left: 64,
    right: 28,
  });
  const plotW = curve.w - 64 - 28;
  assert.ok(curve.n > 50, `curve drawn: ${curve.n}`);
  assert.ok((curve.x1 - curve.x0) / plotW > 0.6, `curve spans ${curve.x1 - curve.x0} of ${plotW}`);
  assert.ok(Number(hi) / Number(lo) < (type === 'log' ? 1000 : 10), `fitted ${type} ${lo}..${hi}`);

  // p50 / p95 / p99 / max: a row of values, none on top of another.
  const marks = ui.page.locator('[data-testid=walk-marks] [data-mark]');
  assert.deepEqual(await marks.evaluateAll((els) => els.map((e) => e.getAttribute('data-mark'))), [
    'p50',
    'p95',
    'p99',
    'max',
  ]);
  const boxes = await marks.evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return [r.left, r.right, r.top, r.bottom];
    }),
  );
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      const overlap = a[0] < b[1] - 1 && b[0] < a[1] - 1 && a[2] < b[3] - 1 && b[2] < a[3] - 1;
      assert.ok(!overlap, `marker labels ${i} and ${j} overlap`);
    }
  await shoot(ui.page, 'run-walk-cdf', () => walk.waitFor(), {
    target: () => ui.page.locator('.walks'),
  });
  assert.deepEqual(ui.pageErrors, []);
});

test('heatmap colour bar: the bound at the top of the scale is labelled once', async () => {
  const id = await runJob(ui.page, 'sim.start', {
    title: 'bound above every list',
    params: {
      ...WIDE,
      workload: { ...WIDE.workload, placement: 'spread' },
      policy: { policy: 'series', K: 40_000 },
    },
  });
  await ui.page.goto(`${ui.lab.url.replace(/#.*$/, '')}#/experiment/${id}/run`);
  const hm = ui.page.locator(
    `[data-testid=run-view][data-experiment="${id}"] [data-testid=chart-heatmap][data-painted="1"]`,
  );
  await hm.waitFor();
  const labels = JSON.parse((await hm.getAttribute('data-bar-labels'))!) as {
    y: number;
    text: string;
    kind: string;
    lines: number;
  }[];
  assert.deepEqual(
    labels.map((l) => l.kind),
    ['bound', 'zero'],
    'the bound is the top of the scale: no second top label on it',
  );
  assert.match(labels[0].text, /^40k\nbound$/);
  for (let i = 1; i < labels.length; i++)
    assert.ok(labels[i].y >= labels[i - 1].y + labels[i - 1].lines * 12, JSON.stringify(labels));
  await shoot(ui.page, 'run-heatmap-colour-bar', () => hm.waitFor(), {
    target: () => ui.page.locator('[data-testid=chart-heatmap]'),
  });
});
