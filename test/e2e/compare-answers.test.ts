/**
 * Compare answers "what changed" (issue 12 item 1, and item 11's focus ring): metric deltas come
 * before the parameters; only policy-relevant differences are listed (a replay and its observed
 * trace: the policy, plus one line saying they share their source); runs of very different size
 * get a log y so the small run's longest list is drawn off the zero line, each run and each
 * quantity in its own colour; small multiples share the time range and the y scale; the walk-time
 * CDF of every run is drawn on one axis.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useLabPage, ROOT } from './harness';
import { api, canvasStats, GRID_LEFT, GRID_RIGHT, runJob } from './page-api';
import { colourExtent, rgb, shoot, TIME_PLOT } from './views';
import { chartColors } from '../../renderer/src/charts/theme';
import type { SimParamsInput } from '../../shared/params';
import type { RunSummary } from '../../shared/results';
import { join } from 'node:path';

const ui = useLabPage({ width: 1600, height: 1000 }, { consoleErrors: true });
const light = chartColors(); // no document in node: the light palette the page uses
/** The compare charts' plot area (legend above it). */
const CMP = { ...TIME_PLOT, top: 40 };
/** The walk CDF's plot area. */
const WALK = { top: 36, bottom: 44, left: 64, right: 28 };

/** Everything on pCPU 0: upstream's list is H (512), series K = 1 keeps it near 512/128 + 1. */
const PILE: SimParamsInput = {
  workload: {
    pcpus: 128,
    domains: 64,
    vcpusPerDomain: 8,
    placement: 'pcpu0',
    durationNs: 5e7,
  },
  policy: { policy: 'upstream', K: 128 },
  buckets: 256,
  seed: 5,
};

async function openCompare(ids: number[]) {
  await ui.page.goto(`${ui.lab.url.replace(/#.*$/, '')}#/compare/${ids.join(',')}`);
  await ui.page.locator('[data-testid=compare-view]').waitFor();
}
const painted = (id: string) =>
  ui.page.locator(`[data-testid=${id}][data-painted="1"]`).waitFor({ timeout: 60_000 });

test('Compare of two simulations: deltas first, log y, distinct colours, walk CDFs', async () => {
  await ui.page.goto(ui.lab.url);
  await ui.page.waitForLoadState('networkidle');
  const a = await runJob(ui.page, 'sim.start', { title: 'pile upstream', params: PILE });
  const b = await runJob(ui.page, 'sim.start', {
    title: 'pile series K=1',
    params: { ...PILE, policy: { policy: 'series', K: 1 } },
  });
  const sa = (await api<{ summary: RunSummary }>(ui.page, 'run.summary', { experimentId: a }))
    .summary;
  const sb = (await api<{ summary: RunSummary }>(ui.page, 'run.summary', { experimentId: b }))
    .summary;
  assert.ok(sa.maxListLength / sb.maxListLength > 50, `${sa.maxListLength} vs ${sb.maxListLength}`);

  await openCompare([a, b]);
  await painted('chart-compare-overlay');

  // Metric deltas come before the parameters; only the policy differs.
  const order = await ui.page.evaluate(() => {
    const m = document.querySelector('[data-testid=metric-table]')!;
    const p = document.querySelector('[data-testid=param-table]')!;
    return m.compareDocumentPosition(p) & Node.DOCUMENT_POSITION_FOLLOWING;
  });
  assert.ok(order, 'the metric table comes first');
  const keys = await ui.page
    .locator('[data-testid=param-row]')
    .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.key));
  assert.deepEqual(keys.sort(), ['policy.K', 'policy.policy']);
  assert.equal(await ui.page.locator('[data-testid=source-note]').count(), 0);

  // 512 vs ~9: log y by default, and the small run's line is drawn well above the x axis.
  const ov = ui.page.locator('[data-testid=chart-compare-overlay]');
  assert.equal(await ov.getAttribute('data-yscale'), 'log');
  const listA = await colourExtent(ui.page, 'chart-compare-overlay', rgb(light.series[0]), CMP);
  const listB = await colourExtent(ui.page, 'chart-compare-overlay', rgb(light.series[1]), CMP);
  const plotBottom = listB.h - 28;
  assert.ok(listA.n > 100 && listB.n > 100, `both lists drawn: ${listA.n}, ${listB.n}`);
  assert.ok(
    plotBottom - listB.y0 > 40,
    `series' list stands clear of the axis: top at ${listB.y0}, axis at ${plotBottom}`,
  );
  assert.ok(listA.y0 < listB.y0 - 40, 'upstream above series');
  // The bounds: dashed, in colours of their own (not the runs' list colours).
  const danger = await ui.page.evaluate(() =>
    getComputedStyle(document.documentElement).getPropertyValue('--danger').trim(),
  );
  const boundA = await colourExtent(ui.page, 'chart-compare-overlay', rgb(danger), CMP);
  const boundB = await colourExtent(ui.page, 'chart-compare-overlay', rgb(light.series[3]), CMP);
  assert.ok(boundA.n > 30 && boundB.n > 30, `bounds drawn: ${boundA.n}, ${boundB.n}`);

  // Linear y on request: the small run flattens (what log y avoids).
  await ui.page.getByLabel('shared y').check();
  await ui.page.waitForFunction(
    () =>
      document.querySelector('[data-testid=chart-compare-overlay]')?.getAttribute('data-yscale') ===
      'shared',
  );
  await painted('chart-compare-overlay');
  const flatB = await colourExtent(ui.page, 'chart-compare-overlay', rgb(light.series[1]), CMP);
  assert.ok(plotBottom - flatB.y0 < 12, `linear: series' list near the axis (${flatB.y0})`);
  await ui.page.getByLabel('log y').check();

  // Small multiples: one per run, one time range, one y scale.
  await ui.page.getByLabel('stacked').check();
  await painted(`chart-compare-${a}`);
  await painted(`chart-compare-${b}`);
  for (const id of [a, b])
    assert.equal(
      await ui.page.locator(`[data-testid=chart-compare-${id}]`).getAttribute('data-yscale'),
      'log',
    );
  const stA = await colourExtent(ui.page, `chart-compare-${a}`, rgb(light.series[0]), CMP);
  const stB = await colourExtent(ui.page, `chart-compare-${b}`, rgb(light.series[1]), CMP);
  assert.ok(stA.y0 < stB.y0 - 40, `shared log y: ${stA.y0} vs ${stB.y0}`);
  const gridW = stA.w - GRID_LEFT - GRID_RIGHT;
  assert.ok(stA.x1 - stA.x0 > gridW * 0.8 && stB.x1 - stB.x0 > gridW * 0.8, 'same time axis');
  await shoot(ui.page, 'compare-two-sims-stacked', () => painted(`chart-compare-${b}`), {
    scrollTo: () => ui.page.locator('[data-testid=compare-mode]'),
  });

  // The walk-time CDFs: one curve per run, in the runs' colours, the values beside the chart.
  await painted('chart-walks-compare');
  const wa = await colourExtent(ui.page, 'chart-walks-compare', rgb(light.series[0]), WALK);
  const wb = await colourExtent(ui.page, 'chart-walks-compare', rgb(light.series[1]), WALK);
  assert.ok(wa.n > 50 && wb.n > 50, `both CDFs drawn: ${wa.n}, ${wb.n}`);
  assert.equal(
    await ui.page.locator('[data-testid=chart-walks-compare]').getAttribute('data-axis'),
    'log',
  );
  assert.match(
    await ui.page.getByTestId('compare-walk-keys').innerText(),
    new RegExp(`#${a} p99 [^]*#${b} p99`),
  );

  // Item 11: the layout radios' focus ring hugs the radio (no 26 px input box).
  await ui.page.getByLabel('overlaid').focus();
  await ui.page.keyboard.press('ArrowRight');
  const ring = await ui.page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement;
    const r = el.getBoundingClientRect();
    return { type: el.type, h: r.height, w: r.width, outline: getComputedStyle(el).outlineWidth };
  });
  assert.equal(ring.type, 'radio');
  assert.ok(ring.h <= 14 && ring.w <= 14, `radio box ${ring.w}x${ring.h}`);
  assert.ok(parseFloat(ring.outline) <= 2, `outline ${ring.outline}`);
  const ov2 = await canvasStats(ui.page, `chart-compare-${b}`);
  assert.ok(ov2.painted > 2000);

  await ui.page.getByLabel('overlaid').check();
  await painted('chart-compare-overlay');
  await shoot(ui.page, 'compare-two-sims', () => painted('chart-walks-compare'));
  await shoot(ui.page, 'compare-two-sims-charts', () => painted('chart-walks-compare'), {
    scrollTo: () => ui.page.locator('[data-testid=compare-mode]'),
  });
  assert.deepEqual(ui.pageErrors, []);
});

test('Compare of a replay with its observed trace: one line on the shared source, the policy', async () => {
  const trace = await runJob(ui.page, 'trace.import', {
    path: join(ROOT, 'test/fixtures/traces/pvh-sched.bin'),
    title: 'pvh-sched observed',
  });
  const replay = await runJob(ui.page, 'trace.replay', {
    experimentId: trace,
    policy: { policy: 'series', K: 128 },
  });
  await openCompare([trace, replay]);
  await ui.page.getByTestId('metric-table').waitFor();
  const rows = await ui.page
    .locator('[data-testid=param-row]')
    .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.key));
  assert.ok(rows.length <= 5, `a handful of rows, not 169: ${rows.join(', ')}`);
  assert.ok(
    rows.every((k) => !/^(assumptions|clock|stats|file|source)\./.test(k!)),
    rows.join(', '),
  );
  const pol = await ui.page
    .locator('[data-testid=param-row][data-key="policy.policy"] td')
    .allInnerTexts();
  assert.equal(pol.length, 2);
  assert.match(pol[0], /upstream|observed/);
  assert.equal(pol[1], 'series');
  assert.match(
    await ui.page.getByTestId('source-note').innerText(),
    new RegExp(`#${replay} replays the observed trace #${trace}.*share their source`),
  );
  // Every walk took the same time: each CDF is a visible vertical step, not a lone point.
  await painted('chart-walks-compare');
  const step = await colourExtent(ui.page, 'chart-walks-compare', rgb(light.series[1]), WALK);
  assert.ok(step.n > 20 && step.y1 - step.y0 > 100, `a vertical step: ${JSON.stringify(step)}`);
  // "show all" still has the bookkeeping.
  await ui.page.getByTestId('show-all-params').check();
  assert.ok((await ui.page.locator('[data-testid=param-row]').count()) > 20);
  await ui.page.getByTestId('show-all-params').uncheck();
  await shoot(ui.page, 'compare-replay-observed', () => painted('chart-compare-overlay'));
  await shoot(ui.page, 'compare-replay-observed-charts', () => painted('chart-walks-compare'), {
    scrollTo: () => ui.page.locator('[data-testid=compare-mode]'),
  });
  assert.deepEqual(ui.pageErrors, []);
});
