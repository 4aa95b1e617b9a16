/**
 * Run view range selection end to end: Shift+drag on the H / bound chart selects a range (no
 * zoom), every time chart shades it, and the Selection panel's figures equal `run.rangeStats`
 * for the same range (asked through the API from the ui.page) and the figures this test computes
 * itself from the series stored in the notebook. Then "Zoom to selection", Esc, the Select
 * toggle (plain drag selects) and the usual navigation (plain drag pans, W zooms).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { artifactPath, useLabPage } from './harness';
import { api, GRID_LEFT, GRID_RIGHT, runSimulation } from './page-api';
import type { RangeStats } from '../../shared/api';
import type { SimParamsInput } from '../../shared/params';
import { fmtInt, fmtNs } from '../../renderer/src/components/util/format';

/** K = 0: lists go over the bound; a hotplug makes the online count and the bound move. */
const PARAMS: SimParamsInput = {
  workload: {
    pcpus: 8,
    domains: 12,
    vcpusPerDomain: 4,
    placement: 'random',
    durationNs: 1e8,
    hotplug: [
      { tNs: 3e7, pcpu: 6, online: false },
      { tNs: 4.5e7, pcpu: 6, online: true },
    ],
  },
  policy: { policy: 'series', K: 0 },
  buckets: 256,
  seed: 5,
};

const ui = useLabPage({ width: 1400, height: 1500 });

/**
 * The figures of [t0, t1) computed here, independently, from the stored series: the buckets
 * overlapping the range, whole.
 */
function expectedFigures(id: number, t0: number, t1: number) {
  const { summary, timeline: tl } = ui.lab.services.store.loadSummary(id);
  const s = ui.lab.services.store.loadSeries(id, [
    'len.max',
    'overbound',
    'h',
    'h.max',
    'bound',
    'bound.min',
    'online',
  ]);
  const P = summary.pcpus;
  const B = tl.buckets;
  const w = tl.bucketNs;
  const start = (b: number) => tl.t0Ns + b * w;
  const end = (b: number) => (b === B - 1 ? Math.min(start(b) + w, summary.endNs) : start(b) + w);
  const touched: number[] = [];
  for (let b = 0; b < B; b++) if (start(b) < t1 && start(b) + w > t0) touched.push(b);
  const first = touched[0];
  let best = -1;
  let bestP = -1;
  let bestB = -1;
  let over = 0;
  let overNs = 0;
  let pcpusOver = 0;
  const per: { pcpu: number; maxLength: number; overNs: number }[] = [];
  for (let p = 0; p < P; p++) {
    let m = -1;
    let ns = 0;
    for (const b of touched) {
      const v = s['len.max'][p * B + b];
      m = Math.max(m, v);
      if (v > best || (v === best && b < bestB)) {
        best = v;
        bestP = p;
        bestB = b;
      }
      over += s['overbound'][p * B + b];
      if (v > s['bound.min'][b]) ns += end(b) - start(b);
    }
    overNs += ns;
    if (ns > 0) pcpusOver++;
    per.push({ pcpu: p, maxLength: m, overNs: ns });
  }
  const withEntry = (name: string) => [
    ...(first > 0 ? [s[name][first - 1]] : []),
    ...touched.map((b) => s[name][b]),
  ];
  const hs = [...withEntry('h'), ...touched.map((b) => s['h.max'][b])];
  const bs = [...withEntry('bound'), ...touched.map((b) => s['bound.min'][b])];
  const os = withEntry('online');
  per.sort((a, b) => b.maxLength - a.maxLength || a.pcpu - b.pcpu);
  return {
    bucketNs: w,
    buckets: touched.length,
    coveredT0Ns: start(first),
    coveredT1Ns: end(touched[touched.length - 1]),
    maxLength: best,
    maxPcpu: bestP,
    maxAtNs: start(bestB),
    boundAtMax: s['bound.min'][bestB],
    h: { min: Math.min(...hs), max: Math.max(...hs) },
    bound: { min: Math.min(...bs), max: Math.max(...bs) },
    online: { min: Math.min(...os), max: Math.max(...os) },
    overBoundInsertions: over,
    pcpusOverBound: pcpusOver,
    timeOverBoundNs: overNs,
    top: per.filter((x) => x.maxLength > 0).slice(0, 10),
  };
}

const viewData = (p: Page, key: string) =>
  p.evaluate(
    (k) => (document.querySelector('[data-testid=run-view]') as HTMLElement).dataset[k] ?? '',
    key,
  );

/** Drag across a chart's plot area from fraction a to fraction b of its width. */
async function dragOn(p: Page, testid: string, a: number, b: number, shift: boolean) {
  const box = (await p.locator(`[data-testid=${testid}] .echart-canvas`).boundingBox())!;
  const gw = box.width - GRID_LEFT - GRID_RIGHT;
  const y = box.y + 110;
  const x0 = box.x + GRID_LEFT + gw * a;
  const x1 = box.x + GRID_LEFT + gw * b;
  if (shift) await p.keyboard.down('Shift');
  await p.mouse.move(x0, y);
  await p.mouse.down();
  for (let i = 1; i <= 10; i++) await p.mouse.move(x0 + ((x1 - x0) * i) / 10, y);
  await p.mouse.up();
  if (shift) await p.keyboard.up('Shift');
  return { x0, x1, box, gw };
}

test('Run view: Shift+drag selects a range, the Selection panel shows its figures', async () => {
  await ui.page.goto(ui.lab.url);
  await ui.page.waitForLoadState('networkidle');
  const id = await runSimulation(ui.page, PARAMS, 'e2e selection');
  await ui.page.goto(`${ui.lab.url.replace(/#.*$/, '')}#/experiment/${id}/run`);
  await ui.page.locator(`[data-testid=run-view][data-experiment="${id}"]`).waitFor();
  for (const c of ['chart-heatmap', 'chart-system', 'chart-toplists'])
    await ui.page.locator(`[data-testid=${c}][data-painted="1"]`).waitFor();
  const range0 = await viewData(ui.page, 'range');
  const [r0, r1] = range0.split(':').map(Number);

  // Shift+drag on the H / bound chart from 20 % to 55 % of the run.
  const drag = await dragOn(ui.page, 'chart-system', 0.2, 0.55, true);
  const panel = ui.page.locator('[data-testid=selection-panel][data-loaded="1"]');
  await panel.waitFor();
  const [t0, t1] = (await viewData(ui.page, 'selection')).split(':').map(Number);
  assert.equal(await viewData(ui.page, 'range'), range0, 'selecting does not zoom');
  const span = r1 - r0;
  assert.ok(Math.abs(t0 - (r0 + 0.2 * span)) < span / 200, `selection start ${t0}`);
  assert.ok(Math.abs(t1 - (r0 + 0.55 * span)) < span / 200, `selection end ${t1}`);
  assert.equal(await panel.getAttribute('data-selection'), `${t0}:${t1}`);

  // Shaded on every time chart, where the drag went.
  for (const c of ['chart-heatmap', 'chart-system', 'chart-toplists']) {
    const shade = (await ui.page
      .locator(`[data-testid=${c}] [data-testid=selection-shade]`)
      .boundingBox())!;
    assert.ok(shade, `${c}: the selection is shaded`);
    assert.ok(Math.abs(shade.x - drag.x0) <= 2, `${c}: shade starts at the drag (${shade.x})`);
    assert.ok(
      Math.abs(shade.x + shade.width - drag.x1) <= 2,
      `${c}: shade ends at the drag (${shade.x + shade.width})`,
    );
  }

  // The same range through the API, and the figures computed here from the stored series.
  const stats = await api<RangeStats>(ui.page, 'run.rangeStats', {
    experimentId: id,
    t0Ns: t0,
    t1Ns: t1,
  });
  const want = expectedFigures(id, t0, t1);
  const { top: _top, ...figures } = want;
  void _top;
  assert.ok(want.buckets > 10, `the selection spans many buckets: ${want.buckets}`);
  assert.ok(want.overBoundInsertions > 0, 'K = 0: insertions over the bound in the selection');
  assert.ok(want.online.min < want.online.max, 'the hotplug is inside the selection');
  assert.deepEqual(
    {
      bucketNs: stats.bucketNs,
      buckets: stats.buckets,
      coveredT0Ns: stats.coveredT0Ns,
      coveredT1Ns: stats.coveredT1Ns,
      maxLength: stats.maxLength,
      maxPcpu: stats.maxPcpu,
      maxAtNs: stats.maxAtNs,
      boundAtMax: stats.boundAtMax,
      h: stats.h,
      bound: stats.bound,
      online: stats.online,
      overBoundInsertions: stats.overBoundInsertions,
      pcpusOverBound: stats.pcpusOverBound,
      timeOverBoundNs: stats.timeOverBoundNs,
    },
    figures,
  );
  assert.deepEqual(
    stats.topPcpus.map((p) => [p.pcpu, p.maxLength, p.timeOverBoundNs]),
    want.top.map((p) => [p.pcpu, p.maxLength, p.overNs]),
  );

  // The panel: raw values and the text shown.
  const fig = async (stat: string) => {
    const el = panel.locator(`[data-stat="${stat}"]`);
    return {
      raw: await el.getAttribute('data-value'),
      text: (await el.locator('.fig-value').innerText()).trim(),
      sub: (await el.locator('.fig-sub').count())
        ? (await el.locator('.fig-sub').innerText()).trim()
        : '',
    };
  };
  const mm = (r: { min: number; max: number }) =>
    r.min === r.max ? fmtInt(r.min) : `${fmtInt(r.min)}–${fmtInt(r.max)}`;
  const max = await fig('max-list');
  assert.equal(max.raw, String(want.maxLength));
  assert.equal(max.text, fmtInt(want.maxLength));
  assert.equal(max.sub, `pCPU ${want.maxPcpu}, bucket at ${fmtNs(want.maxAtNs)}`);
  assert.equal((await fig('bound-at-max')).text, fmtInt(want.boundAtMax));
  assert.equal((await fig('h')).raw, `${want.h.min}:${want.h.max}`);
  assert.equal((await fig('h')).text, mm(want.h));
  assert.equal((await fig('bound')).text, mm(want.bound));
  assert.equal((await fig('online')).text, mm(want.online));
  assert.equal((await fig('over-insertions')).text, fmtInt(want.overBoundInsertions));
  assert.equal((await fig('pcpus-over')).text, fmtInt(want.pcpusOverBound));
  const tOver = await fig('time-over');
  assert.equal(tOver.raw, String(want.timeOverBoundNs));
  assert.equal(tOver.text, fmtNs(want.timeOverBoundNs));
  assert.match(tOver.sub, /bucket resolution/);
  const res = panel.locator('[data-testid=selection-resolution]');
  assert.equal(Number(await res.getAttribute('data-bucket-ns')), want.bucketNs);
  assert.match(await res.innerText(), /Bucket resolution/);
  const rows = await panel
    .locator('[data-testid=selection-top-row]')
    .evaluateAll((els) =>
      els.map((e) => [
        Number((e as HTMLElement).dataset.pcpu),
        Number((e as HTMLElement).dataset.max),
        Number((e as HTMLElement).dataset.overNs),
      ]),
    );
  assert.deepEqual(
    rows,
    want.top.map((p) => [p.pcpu, p.maxLength, p.overNs]),
  );
  await ui.page.screenshot({ path: artifactPath('run-view-selection.png'), fullPage: true });

  // Zoom to selection: the view becomes the selection (what Shift+drag did before).
  await panel.locator('[data-testid=zoom-selection]').click();
  // (Up to float rounding: the view is stored as t0 + span.)
  await ui.page.waitForFunction(
    ([a, b]) => {
      const el = document.querySelector('[data-testid=run-view]') as HTMLElement;
      const eps = 1e-6 * (b - a);
      return [el.dataset.range, el.dataset.seriesRange].every((s) => {
        const [x, y] = (s ?? '').split(':').map(Number);
        return Math.abs(x - a) < eps && Math.abs(y - b) < eps;
      });
    },
    [t0, t1] as const,
  );
  const zr = await viewData(ui.page, 'range');
  await ui.page.locator('[data-testid=chart-system][data-painted="1"]').waitFor();
  const full = (await ui.page
    .locator('[data-testid=chart-system] [data-testid=selection-shade]')
    .boundingBox())!;
  assert.ok(Math.abs(full.width - drag.gw) <= 2, `the shade fills the zoomed view: ${full.width}`);

  // Esc clears the selection (the zoom stays).
  await ui.page.locator('[data-testid=run-nav] .nav-info').click();
  await ui.page.keyboard.press('Escape');
  await ui.page.locator('[data-testid=selection-panel]').waitFor({ state: 'detached' });
  assert.equal(await viewData(ui.page, 'selection'), '');
  assert.equal(await ui.page.locator('[data-testid=selection-shade]').count(), 0);
  assert.equal(await viewData(ui.page, 'range'), zr);

  // Whole run again; the Select toggle: a plain drag selects (touchpads), without zooming.
  await ui.page.locator('[data-testid=run-nav] button', { hasText: 'Whole run' }).click();
  await ui.page.waitForFunction(
    () => (document.querySelector('[data-testid=run-view]') as HTMLElement).dataset.range !== '',
  );
  const whole = await viewData(ui.page, 'range');
  assert.equal(whole, range0);
  const toggle = ui.page.locator('[data-testid=select-toggle]');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  await dragOn(ui.page, 'chart-toplists', 0.6, 0.8, false);
  await ui.page.locator('[data-testid=selection-panel][data-loaded="1"]').waitFor();
  const [u0, u1] = (await viewData(ui.page, 'selection')).split(':').map(Number);
  assert.ok(Math.abs(u0 - (r0 + 0.6 * span)) < span / 200, `toggle selection start ${u0}`);
  assert.ok(Math.abs(u1 - (r0 + 0.8 * span)) < span / 200, `toggle selection end ${u1}`);
  assert.equal(await viewData(ui.page, 'range'), whole, 'still not zoomed');
  const viaApi = await api<RangeStats>(ui.page, 'run.rangeStats', {
    experimentId: id,
    t0Ns: u0,
    t1Ns: u1,
  });
  assert.equal(
    await ui.page.locator('[data-stat="max-list"]').getAttribute('data-value'),
    String(viaApi.maxLength),
  );
  assert.equal(viaApi.maxLength, expectedFigures(id, u0, u1).maxLength);

  // Toggle off: W zooms, a plain drag pans, and the selection stays where it was in time.
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  await ui.page.locator('[data-testid=run-nav] .nav-info').click();
  await ui.page.keyboard.press('w');
  await ui.page.waitForFunction(
    (w) => (document.querySelector('[data-testid=run-view]') as HTMLElement).dataset.range !== w,
    whole,
  );
  const zoomed = await viewData(ui.page, 'range');
  const [z0, z1] = zoomed.split(':').map(Number);
  assert.ok(z1 - z0 < span * 0.9, 'W zoomed in');
  await dragOn(ui.page, 'chart-heatmap', 0.5, 0.3, false);
  await ui.page.waitForFunction(
    (z) => (document.querySelector('[data-testid=run-view]') as HTMLElement).dataset.range !== z,
    zoomed,
  );
  const [p0, p1] = (await viewData(ui.page, 'range')).split(':').map(Number);
  assert.ok(p0 > z0, 'dragging left panned forward in time');
  assert.ok(Math.abs(p1 - p0 - (z1 - z0)) < 1e-6 * span, 'panning keeps the span');
  assert.equal(await viewData(ui.page, 'selection'), `${u0}:${u1}`);

  assert.deepEqual(ui.pageErrors, []);
});
