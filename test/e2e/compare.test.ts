/**
 * Compare view end to end (issue 6 item 3): two simulations that differ only in the policy and K,
 * side by side: the parameter table shows only what differs (all on "show all"), the metric
 * deltas match the summaries, and the overlaid / stacked charts are drawn with linked zoom.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { artifactPath, launchBrowser, startLab } from './harness';
import { api, canvasStats, runSimulation } from './page-api';
import type { RunSummary } from '../../shared/results';
import type { SimParamsInput } from '../../shared/params';

type Lab = Awaited<ReturnType<typeof startLab>>;
let lab: Lab;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

/** Small, but with remote placements, a hotplug fix-up and several lists per pCPU. */
const PARAMS: SimParamsInput = {
  workload: {
    pcpus: 8,
    domains: 10,
    vcpusPerDomain: 4,
    placement: 'random',
    durationNs: 1e8,
    hotplug: [
      { tNs: 4e7, pcpu: 5, online: false },
      { tNs: 7e7, pcpu: 5, online: true },
    ],
  },
  policy: { policy: 'series', K: 1 },
  buckets: 256,
  seed: 3,
};

before(async () => {
  lab = await startLab();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
});

after(async () => {
  await browser?.close();
  await lab?.close();
});

test('Compare: only differing parameters, metric deltas, linked charts', async () => {
  await page.goto(lab.url);
  await page.waitForLoadState('networkidle');
  const upstream: SimParamsInput = { ...PARAMS, policy: { policy: 'upstream', K: 128 } };
  const a = await runSimulation(page, upstream, 'e2e compare upstream');
  const b = await runSimulation(page, PARAMS, 'e2e compare series K=1');

  await page.goto(`${lab.url.replace(/#.*$/, '')}#/compare/${a},${b}`);
  await page.locator('[data-testid=compare-view]').waitFor();
  await page.locator('[data-testid=chart-compare-overlay][data-painted="1"]').waitFor();

  // Only what differs, by default.
  const keys = await page
    .locator('[data-testid=param-row]')
    .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.key));
  assert.deepEqual(keys.sort(), ['policy.K', 'policy.policy']);
  const row = page.locator('[data-testid=param-row][data-key="policy.policy"] td');
  assert.deepEqual(await row.allInnerTexts(), ['upstream', 'series']);

  // "show all" lists the identical ones too.
  await page.locator('[data-testid=show-all-params]').check();
  const all = await page.locator('[data-testid=param-row]').count();
  assert.ok(all > 10, `all parameters: ${all}`);
  assert.equal(
    await page.locator('[data-testid=param-row][data-key="workload.pcpus"] td').first().innerText(),
    '8',
  );
  await page.locator('[data-testid=show-all-params]').uncheck();
  assert.equal(await page.locator('[data-testid=param-row]').count(), 2);

  // Metric deltas: absolute difference against the first run.
  const sa = (await api<{ summary: RunSummary }>(page, 'run.summary', { experimentId: a })).summary;
  const sb = (await api<{ summary: RunSummary }>(page, 'run.summary', { experimentId: b })).summary;
  const cells = await page
    .locator('[data-testid=metric-table] tr[data-metric="maxListLength"] td')
    .allInnerTexts();
  const num = (s: string) =>
    Number(
      s
        .replace(/[,\s%+]/g, '')
        .replace('−', '-')
        .replace('±', ''),
    );
  assert.equal(num(cells[0]), sa.maxListLength);
  assert.equal(num(cells[1]), sb.maxListLength);
  assert.equal(num(cells[2]), sb.maxListLength - sa.maxListLength);

  // The overlaid chart is drawn (several colours, dashed bound lines).
  const ov = await canvasStats(page, 'chart-compare-overlay');
  assert.ok(ov.painted > 5_000, `overlay painted: ${ov.painted}`);
  assert.ok(ov.colours > 4, `overlay colours: ${ov.colours}`);
  await page.screenshot({ path: artifactPath('compare.png'), fullPage: true });

  // Stacked, with linked zoom: a wheel on one chart zooms both.
  await page.getByLabel('stacked').check();
  await page.locator(`[data-testid=chart-compare-${a}][data-painted="1"]`).waitFor();
  await page.locator(`[data-testid=chart-compare-${b}][data-painted="1"]`).waitFor();
  const box = (await page
    .locator(`[data-testid=chart-compare-${a}] .echart-canvas`)
    .boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + 100);
  await page.mouse.wheel(0, -400);
  await page.locator(`[data-testid=chart-compare-${b}][data-painted="1"]`).waitFor();
  const labels = await page
    .locator('[data-testid^=chart-compare-]')
    .evaluateAll((els) => els.length);
  assert.equal(labels, 2);
  const sa2 = await canvasStats(page, `chart-compare-${a}`, '--danger');
  const sb2 = await canvasStats(page, `chart-compare-${b}`, '--danger');
  assert.ok(sa2.match > 50 && sb2.match > 50, `bound lines: ${sa2.match}, ${sb2.match}`);
  await page.screenshot({ path: artifactPath('compare-stacked.png'), fullPage: true });

  assert.deepEqual(pageErrors, []);
});
