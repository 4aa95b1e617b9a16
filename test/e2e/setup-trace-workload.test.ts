/**
 * Setup → "Workload from a trace…" (issue 14 item 1) in Chromium: an imported dump's fit shown per
 * source vCPU (table and the three CDF charts, painted, one line per vCPU that blocked), then run
 * scaled to 256 domains on 32 pCPUs under series; the new run opens in its Run view and its stored
 * params carry the fit and the dump's sha256. Screenshots light and dark at 1600x1000 and 1280x800.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { artifactPath, useLabPage } from './harness';
import { importDump, shootLightDark } from './lab-helpers';
import { api, canvasStats } from './page-api';
import type { SweepDetail } from '../../shared/notebook';

const ui = useLabPage({ width: 1600, height: 1000 }, { consoleErrors: true });
const CHARTS = ['fit-chart-blockedNs', 'fit-chart-runNs', 'fit-chart-wakeToRunNs'];

test('fitted distributions per source vCPU, then a scaled run with its provenance', async () => {
  const p = ui.page;
  await p.goto(ui.lab.url);
  const traceId = await importDump(p, 'pvh-idle-dom0-sched.bin', 'e2e idle dom0 guests');
  await p.locator('button.new-sim').click();
  await p.getByRole('heading', { name: 'New simulation' }).waitFor();
  await p.locator('button.trace-mode-btn').click();
  const panel = p.locator('[data-testid="trace-workload"]');
  await panel.waitFor();
  assert.equal(await p.locator('#tw-trace').inputValue(), String(traceId));
  // d1v0 and d1v1 blocked in this dump; d2v0 never did (no line, a row with no means).
  await panel.locator('tr[data-vcpu="d1v0"]').waitFor();
  assert.deepEqual(
    await panel.locator('tbody tr').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-vcpu'))),
    ['d1v0', 'd1v1', 'd2v0'],
  );
  const d1v0 = await panel.locator('tr[data-vcpu="d1v0"]').innerText();
  assert.match(d1v0, /\b16\b/, 'd1v0 blocked 16 times');
  assert.match(d1v0, /100 %/, 'every wake-up a post (imported with wake-ups as posts)');
  assert.match(await panel.locator('tr[data-vcpu="d2v0"]').innerText(), /—/);
  for (const id of CHARTS) {
    await p.locator(`[data-testid="${id}"][data-painted="1"]`).waitFor();
    const s = await canvasStats(p, id);
    assert.ok(s.painted > 1000 && s.colours > 3, `${id} painted: ${JSON.stringify(s)}`);
  }

  await shootLightDark(p, 'setup-trace-workload', async (w) => {
    await panel.scrollIntoViewIfNeeded();
    // Nothing wider than the page: the panel fits beside the presets at every size.
    const over = await p.evaluate(() => {
      const main = document.querySelector('.setup-view')!;
      return main.scrollWidth - main.clientWidth;
    });
    assert.ok(over <= 1, `${w}: setup overflows by ${over} px`);
    for (const id of CHARTS) {
      const box = await p.locator(`[data-testid="${id}"]`).boundingBox();
      assert.ok(
        box && box.width > 300 && box.height > 200,
        `${id} laid out: ${JSON.stringify(box)}`,
      );
    }
  });

  await p.locator('[name="tw-domains"]').fill('256');
  await p.locator('[name="tw-pcpus"]').fill('32');
  await p.locator('[name="tw-duration"]').fill('200 ms');
  await p.locator('[name="tw-policy"]').selectOption('series');
  await p.locator('[name="tw-K"]').fill('2');
  await p.locator('button.tw-run').click();
  await p.waitForURL(/#\/experiment\/\d+\/run/, { timeout: 60_000 });
  const runId = Number(/experiment\/(\d+)/.exec(p.url())![1]);
  const rec = await api<{
    kind: string;
    params: Record<string, unknown>;
    summary: { policy: string; pcpus: number };
  }>(p, 'experiments.get', { id: runId });
  assert.equal(rec.kind, 'simulation');
  assert.equal(rec.summary.policy, 'series');
  assert.equal(rec.summary.pcpus, 32);
  const fit = await api<{ source: { sha256: string } }>(p, 'trace.fit', { experimentId: traceId });
  const prov = rec.params.provenance as { dump: { sha256: string }; experimentId: number };
  assert.equal(prov.dump.sha256, fit.source.sha256);
  assert.equal(prov.experimentId, traceId);
  const tw = rec.params.traceWorkload as { domains: number; fit: { source: { sha256: string } } };
  assert.equal(tw.domains, 256);
  assert.equal(tw.fit.source.sha256, fit.source.sha256);
  await p.locator('[data-testid="summary-cards"]').waitFor();
  // Its Parameters tab names the dump and the scaling, not the stochastic generator's form.
  await p.locator('[data-tab="setup"]').click();
  const params = p.locator('[data-testid="fitted-params"]');
  await params.waitFor();
  const text = await params.innerText();
  assert.match(text, new RegExp(fit.source.sha256));
  assert.match(text, /traceWorkload\.domains\s+256/);
  assert.doesNotMatch(text, /blockedNs/, 'the quantile tables are not listed');
  assert.equal(await p.locator('.setup-view').count(), 0);
  await p.screenshot({ path: artifactPath('fitted-run-params.png') });

  // "Sweep from this run…": a K x policy sweep of the same fitted workload, each point a fitted
  // run saved with the dump's provenance.
  await p.locator('.sweep-from-btn').click();
  await p.getByTestId('sweep-fitted-base').waitFor();
  assert.equal(await p.getByTestId('sweep-base-id').inputValue(), String(runId));
  assert.equal(await p.getByTestId('sweep-count').textContent(), '4 runs');
  assert.deepEqual(
    await p
      .locator('#sweep-paths option')
      .evaluateAll((os) =>
        os
          .map((o) => (o as HTMLOptionElement).value)
          .filter((v) => /\./.test(v) && !v.startsWith('policy.')),
      ),
    [
      'traceWorkload.domains',
      'traceWorkload.pcpus',
      'traceWorkload.placement',
      'traceWorkload.sampling',
      'traceWorkload.durationNs',
    ],
  );
  // The dump's own pCPU mix crowds a few pCPUs, so K matters: K x that placement, under series.
  const second = p.locator('[data-testid=sweep-axis]').nth(1).locator('input');
  await second.nth(0).fill('traceWorkload.placement');
  await second.nth(1).fill('trace');
  assert.equal(await p.getByTestId('sweep-count').textContent(), '3 runs');
  await p.getByTestId('sweep-run').click();
  await p.waitForFunction(() => /^#\/sweep\/\d+$/.test(location.hash));
  const groupId = Number(/#\/sweep\/(\d+)$/.exec(p.url())![1]);
  await p
    .getByTestId('sweep-results')
    .filter({ hasText: /3 of 3 runs saved · done/ })
    .waitFor({ timeout: 120_000 });
  const detail = await api<SweepDetail>(p, 'sweeps.get', { groupId });
  assert.deepEqual(
    detail.points.map((pt) => [pt.values['policy.K'], pt.values['traceWorkload.placement']]),
    [
      [0, 'trace'],
      [4, 'trace'],
      [16, 'trace'],
    ],
  );
  for (const pt of detail.points) {
    const e = await api<{
      params: {
        provenance: { dump: { sha256: string } };
        traceWorkload: { domains: number; placement: string };
        policy: { policy: string };
      };
    }>(p, 'experiments.get', { id: pt.experimentId });
    assert.equal(e.params.provenance.dump.sha256, fit.source.sha256);
    assert.equal(e.params.traceWorkload.domains, 256);
    assert.equal(e.params.traceWorkload.placement, 'trace');
    assert.equal(e.params.policy.policy, 'series');
  }
  // K matters here: a larger K, fewer remote placements and a longer longest list.
  const remote = detail.points.map((pt) => pt.metrics!.remotePlacements);
  assert.ok(remote[0] > remote[1] && remote[1] > remote[2], `remote placements per K: ${remote}`);
  const longest = detail.points.map((pt) => pt.metrics!.maxListLength);
  assert.ok(longest[0] < longest[2], `longest list per K: ${longest}`);
  await p.getByTestId('sweep-results').scrollIntoViewIfNeeded();
  await p.screenshot({ path: artifactPath('fitted-sweep.png') });

  // "Recommend K from this run…": the fitted run is the base, the answer names the dump.
  await p.goto(`${ui.lab.url.replace(/#.*$/, '')}#/experiment/${runId}/setup`);
  await p.locator('.recommend-from-btn').click();
  await p.waitForFunction((id) => location.hash === `#/recommend/${id}`, runId);
  const form = p.locator('[data-testid=recommend-form]');
  await p
    .locator('[data-testid=recommend-base-run]', { hasText: 'a workload fitted from a dump' })
    .waitFor();
  const target = p.locator('[data-testid=recommend-target]');
  await target.nth(0).locator('select.metric').selectOption('remoteFraction');
  await target.nth(0).locator('select.op').selectOption('<=');
  await target.nth(0).locator('input').fill('0.2');
  await target.nth(1).locator('select.metric').selectOption('maxListLength');
  await target.nth(1).locator('input').fill('64');
  await form.locator('input[name=rec-ks]').fill('0, 16');
  await form.locator('input[name=rec-seeds]').fill('1');
  await form.locator('input[name=rec-duration]').fill('100 ms');
  await p.locator('[data-testid=recommend-run]').click();
  await p.waitForFunction(() => /^#\/experiment\/\d+\/setup$/.test(location.hash), undefined, {
    timeout: 120_000,
  });
  const answer = p.locator('[data-testid=recommendation]');
  await answer.waitFor();
  assert.match(
    await answer.locator('.small-print').innerText(),
    /Base workload fitted from pvh-idle-dom0-sched\.bin \(sha256 [0-9a-f]{12}…, trace experiment \d+\): 256 domains drawn \(replace\) on 32 pCPUs, placement spread/,
  );
  await p.locator('[data-testid=chart-recommend-front][data-painted="1"]').waitFor();
  await p.screenshot({ path: artifactPath('fitted-recommendation.png') });
  assert.deepEqual(ui.pageErrors, []);
});
