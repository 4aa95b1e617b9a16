/**
 * Sweeps survive a reload: the sidebar's Sweep starts light (domain-churn cut to 100 ms,
 * K x policy with upstream run once = 4 runs), starting it routes to `#/sweep/<groupId>`, the status bar shows the
 * sweep as one row (its points hidden), and a reload shows the same group's progress / table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { artifactPath, useLabPage } from './harness';
import { api } from './page-api';
import type { JobInfo } from '../../shared/model';
import type { SweepDetail } from '../../shared/notebook';

const ui = useLabPage({ width: 1400, height: 1000 });

test('a sweep started from the sidebar: light default, one status row, reload shows it', async () => {
  await ui.page.goto(ui.lab.url);
  await ui.page.waitForLoadState('networkidle');
  await ui.page.locator('button.new-sweep').click();
  await ui.page.getByTestId('sweep-view').waitFor();

  // The default is light: not the 4M-vCPU seed worst case.
  await ui.page.locator('[data-testid=sweep-preset] option').first().waitFor({ state: 'attached' });
  assert.equal(await ui.page.getByTestId('sweep-preset').inputValue(), 'domain-churn');
  assert.equal(await ui.page.getByTestId('sweep-duration').inputValue(), '100');
  assert.equal(await ui.page.getByTestId('sweep-count').textContent(), '4 runs');
  assert.deepEqual(
    await ui.page
      .locator('[data-testid=sweep-axis] input')
      .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)),
    ['policy.K', '0, 4, 16', 'policy.policy', 'upstream, series'],
  );
  assert.match(ui.page.url(), /#\/sweep$/);

  await ui.page.getByTestId('sweep-title').fill('reload me');
  await ui.page.getByTestId('sweep-run').click();
  // (history.replaceState: no navigation to wait for, only the location.)
  await ui.page.waitForFunction(() => /^#\/sweep\/\d+$/.test(location.hash));
  const groupId = Number(/#\/sweep\/(\d+)$/.exec(ui.page.url())![1]);
  const sweepJob = `sweep-g${groupId}-`;

  // The status bar: one row for the sweep, none for its points (which the API does list, each
  // naming the sweep as its parent).
  const jobs = await api<JobInfo[]>(ui.page, 'jobs.list', {});
  const sweep = jobs.find((j) => j.jobId.startsWith(sweepJob))!;
  assert.ok(sweep, 'the sweep is a job');
  const points = jobs.filter((j) => j.parentJobId === sweep.jobId);
  assert.equal(points.length, 4, 'four point jobs, each with the sweep as parent');
  const rows = ui.page.locator('[data-testid=statusbar] .job');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 1);
  assert.equal(await rows.first().getAttribute('data-kind'), 'sweep');
  assert.equal(await rows.first().getAttribute('data-job-id'), sweep.jobId);
  await ui.page.screenshot({ path: artifactPath('sweep-statusbar.png') });

  // Reload at once: the same group, following its progress, then its table.
  await ui.page.reload();
  await ui.page.getByTestId('sweep-view').waitFor();
  assert.match(ui.page.url(), new RegExp(`#/sweep/${groupId}$`));
  const results = ui.page.getByTestId('sweep-results');
  await results.filter({ hasText: 'reload me' }).waitFor();
  await results.filter({ hasText: /4 of 4 runs saved · done/ }).waitFor({ timeout: 120_000 });
  await ui.page.waitForFunction(
    () => document.querySelectorAll('[data-testid=sweep-row]').length === 4,
  );
  assert.equal(await ui.page.getByTestId('sweep-pick').inputValue(), String(groupId));
  assert.ok((await ui.page.locator('[data-testid=statusbar] .job').count()) <= 1);

  // What the table shows is that group's points: 100 ms runs of the preset, K x policy with
  // upstream once.
  const detail = await api<SweepDetail>(ui.page, 'sweeps.get', { groupId });
  assert.equal(detail.points.length, 4);
  assert.deepEqual(
    detail.points.map((p) => [p.values['policy.K'], p.values['policy.policy']]),
    [
      [0, 'upstream'],
      [0, 'series'],
      [4, 'series'],
      [16, 'series'],
    ],
  );
  const rec = await api<{ params: { workload: { durationNs: number; pcpus: number } } }>(
    ui.page,
    'experiments.get',
    { id: detail.points[0].experimentId },
  );
  assert.deepEqual([rec.params.workload.durationNs, rec.params.workload.pcpus], [1e8, 16]);
  await ui.page.screenshot({ path: artifactPath('sweep-reload.png'), fullPage: true });

  // Reload once more (finished): still the same group's table.
  await ui.page.reload();
  await results.filter({ hasText: 'reload me' }).waitFor();
  await ui.page.waitForFunction(
    () => document.querySelectorAll('[data-testid=sweep-row]').length === 4,
  );

  assert.deepEqual(ui.pageErrors, []);
});
