/**
 * Compare view end to end (issue 6 item 3): two simulations that differ only in the policy and K,
 * side by side: the parameter table shows only what differs (all on "show all"), the metric
 * deltas match the summaries, and the overlaid / stacked charts are drawn with linked zoom.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { artifactPath, useLabPage } from './harness';
import { api, canvasStats, runSimulation, SMALL_RUN } from './page-api';
import type { RunSummary } from '../../shared/results';
import type { SimParamsInput } from '../../shared/params';

const ui = useLabPage({ width: 1400, height: 1100 });

test('Compare: only differing parameters, metric deltas, linked charts', async () => {
  await ui.page.goto(ui.lab.url);
  await ui.page.waitForLoadState('networkidle');
  const upstream: SimParamsInput = { ...SMALL_RUN, policy: { policy: 'upstream', K: 128 } };
  const a = await runSimulation(ui.page, upstream, 'e2e compare upstream');
  const b = await runSimulation(ui.page, SMALL_RUN, 'e2e compare series K=1');

  await ui.page.goto(`${ui.lab.url.replace(/#.*$/, '')}#/compare/${a},${b}`);
  await ui.page.locator('[data-testid=compare-view]').waitFor();
  await ui.page.locator('[data-testid=chart-compare-overlay][data-painted="1"]').waitFor();

  // Only what differs, by default.
  const keys = await ui.page
    .locator('[data-testid=param-row]')
    .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.key));
  assert.deepEqual(keys.sort(), ['policy.K', 'policy.policy']);
  const row = ui.page.locator('[data-testid=param-row][data-key="policy.policy"] td');
  assert.deepEqual(await row.allInnerTexts(), ['upstream', 'series']);

  // "show all" lists the identical ones too.
  await ui.page.locator('[data-testid=show-all-params]').check();
  const all = await ui.page.locator('[data-testid=param-row]').count();
  assert.ok(all > 10, `all parameters: ${all}`);
  assert.equal(
    await ui.page
      .locator('[data-testid=param-row][data-key="workload.pcpus"] td')
      .first()
      .innerText(),
    '8',
  );
  await ui.page.locator('[data-testid=show-all-params]').uncheck();
  assert.equal(await ui.page.locator('[data-testid=param-row]').count(), 2);

  // Metric deltas: absolute difference against the first run.
  const sa = (await api<{ summary: RunSummary }>(ui.page, 'run.summary', { experimentId: a }))
    .summary;
  const sb = (await api<{ summary: RunSummary }>(ui.page, 'run.summary', { experimentId: b }))
    .summary;
  const cells = await ui.page
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
  const ov = await canvasStats(ui.page, 'chart-compare-overlay');
  assert.ok(ov.painted > 5_000, `overlay painted: ${ov.painted}`);
  assert.ok(ov.colours > 4, `overlay colours: ${ov.colours}`);
  await ui.page.screenshot({ path: artifactPath('compare.png'), fullPage: true });

  // Stacked, with linked zoom: a wheel on one chart zooms both.
  await ui.page.getByLabel('stacked').check();
  await ui.page.locator(`[data-testid=chart-compare-${a}][data-painted="1"]`).waitFor();
  await ui.page.locator(`[data-testid=chart-compare-${b}][data-painted="1"]`).waitFor();
  const box = (await ui.page
    .locator(`[data-testid=chart-compare-${a}] .echart-canvas`)
    .boundingBox())!;
  await ui.page.mouse.move(box.x + box.width / 2, box.y + 100);
  await ui.page.mouse.wheel(0, -400);
  await ui.page.locator(`[data-testid=chart-compare-${b}][data-painted="1"]`).waitFor();
  const labels = await ui.page
    .locator('[data-testid^=chart-compare-]')
    .evaluateAll((els) => els.length);
  assert.equal(labels, 2);
  const sa2 = await canvasStats(ui.page, `chart-compare-${a}`, '--danger');
  const sb2 = await canvasStats(ui.page, `chart-compare-${b}`, '--danger');
  assert.ok(sa2.match > 50 && sb2.match > 50, `bound lines: ${sa2.match}, ${sb2.match}`);
  await ui.page.screenshot({ path: artifactPath('compare-stacked.png'), fullPage: true });

  assert.deepEqual(ui.pageErrors, []);
});
