/**
 * "Recommend K…" in the app (issue 14 item 2): reached from Setup, the form refuses bad fields
 * inline and a bad base with the server's message (nothing saved), then runs the sweep as one
 * job with progress, and opens the saved recommendation: the chosen K and a painted front chart
 * with the chosen point. Reached from a run's Setup tab too, with that run as the base.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useLabPage } from './harness';
import { api, canvasStats, runSimulation } from './page-api';
import { shootLightDark } from './lab-helpers';
import type { ExperimentListItem, JobInfo } from '../../shared/model';
import type { RecommendAnswer } from '../../shared/recommend';

const ui = useLabPage({ width: 1600, height: 1000 }, { consoleErrors: true });

const entries = async () =>
  (await api<ExperimentListItem[]>(ui.page, 'experiments.list', {})).length;

async function setTarget(i: number, metric: string, op: string, value: string) {
  const row = ui.page.locator('[data-testid=recommend-target]').nth(i);
  await row.locator('select.metric').selectOption(metric);
  await row.locator('select.op').selectOption(op);
  await row.locator('input').fill(value);
}

test('Setup → Recommend K…: inline errors, then a job whose answer opens with its front chart', async () => {
  const p = ui.page;
  await p.goto(`${ui.lab.url.replace(/#.*$/, '')}#/new`);
  await p.locator('.preset[data-preset=domain-churn] .preset-use').click();
  await shootLightDark(p, 'recommend-from-setup', async () => {
    await p.locator('.recommend-k-btn').scrollIntoViewIfNeeded();
  });
  await p.locator('.recommend-k-btn').click();
  await p.waitForFunction(() => location.hash === '#/recommend');
  const form = p.locator('[data-testid=recommend-form]');
  await form.waitFor();
  assert.equal(await form.locator('select[name=rec-preset]').inputValue(), 'domain-churn');
  // The defaults: the two targets, the CLI's grid.
  assert.equal(await p.locator('[data-testid=recommend-target]').count(), 2);
  assert.match(await p.locator('[data-testid=recommend-count]').innerText(), /^54 runs/);

  // domain-churn at 50 ms: K = 0 sends a fifth of the blocks remote, K = 4 few, lists ~20.
  await form.locator('input[name=rec-duration]').fill('50 ms');
  await setTarget(0, 'remoteFraction', '<=', '0.1');
  await setTarget(1, 'maxListLength', '<=', 'lots');
  await form.locator('input[name=rec-ks]').fill('4-0');
  await form.locator('input[name=rec-seeds]').fill('2');
  const before = await entries();
  await p.locator('[data-testid=recommend-run]').click();
  await form.locator('.field-error', { hasText: '"lots" is not a number' }).waitFor();
  await form.locator('.field-error', { hasText: 'K values: range "4-0" is reversed' }).waitFor();
  await shootLightDark(p, 'recommend-form-errors', async () => {
    await form.locator('.field-error').first().waitFor();
  });

  await setTarget(1, 'maxListLength', '<=', '22');
  await form.locator('input[name=rec-ks]').fill('0, 4');
  assert.match(await p.locator('[data-testid=recommend-count]').innerText(), /^8 runs/);
  assert.equal(await form.locator('.field-error').count(), 0);
  assert.equal(await entries(), before, 'nothing saved on bad input');
  await shootLightDark(p, 'recommend-form');

  await p.locator('[data-testid=recommend-run]').click();
  // The job shows its progress in the form (and in the status line, as one row).
  await p.locator('.recommend-view .job[data-kind=recommend]').waitFor();
  await p.waitForFunction(() => /^#\/experiment\/\d+\/setup$/.test(location.hash), undefined, {
    timeout: 120_000,
  });
  const id = Number(/experiment\/(\d+)/.exec(await p.evaluate(() => location.hash))![1]);
  const jobs = await api<JobInfo[]>(p, 'jobs.list', {});
  const job = jobs.find((j) => j.kind === 'recommend' && j.experimentId === id);
  assert.equal(job?.state, 'done');
  const sweep = jobs.find((j) => j.kind === 'sweep' && j.parentJobId === job?.jobId);
  assert.ok(sweep, 'the sweep ran as the recommendation job’s part');

  const panel = p.locator('[data-testid=recommendation]');
  await panel.waitFor();
  const rec = await api<{ params: { recommendation: RecommendAnswer } }>(p, 'experiments.get', {
    id,
  });
  const a = rec.params.recommendation;
  assert.deepEqual(a.Ks, [0, 4]);
  assert.deepEqual(a.seeds, [1, 2]);
  assert.deepEqual(a.targets, ['remoteFraction<=0.1', 'maxListLength<=22']);
  assert.ok(a.chosen, 'a K meets the targets');
  assert.equal(await panel.getAttribute('data-chosen'), `${a.chosen.K} ${a.chosen.policy}`);
  assert.match(
    await panel.locator('[data-testid=recommendation-answer]').innerText(),
    new RegExp(`K = ${a.chosen.K} with ${a.chosen.policy} is the smallest K`),
  );
  await p.locator('[data-testid=chart-recommend-front][data-painted="1"]').waitFor();
  const chart = await canvasStats(p, 'chart-recommend-front', '--danger');
  assert.ok(chart.painted > 5_000, `front chart painted pixels: ${chart.painted}`);
  assert.ok(chart.match > 40, `the chosen point in the danger colour: ${chart.match}`);
  await shootLightDark(p, 'recommend-answer', async () => {
    await p.locator('[data-testid=chart-recommend-front][data-painted="1"]').waitFor();
  });
  assert.deepEqual(ui.pageErrors, []);
});

test('A run’s Setup tab → Recommend K from this run…: that run is the base; a bad base is refused inline', async () => {
  const p = ui.page;
  const runId = await runSimulation(
    p,
    {
      workload: { pcpus: 4, domains: 6, vcpusPerDomain: 4, placement: 'random', durationNs: 2e7 },
      policy: { policy: 'series' },
      buckets: 16,
    },
    'small base',
  );
  await p.goto(`${ui.lab.url.replace(/#.*$/, '')}#/experiment/${runId}/setup`);
  await shootLightDark(p, 'recommend-from-run', async () => {
    await p.locator('.recommend-from-btn').scrollIntoViewIfNeeded();
  });
  await p.locator('.recommend-from-btn').click();
  await p.waitForFunction((id) => location.hash === `#/recommend/${id}`, runId);
  const form = p.locator('[data-testid=recommend-form]');
  assert.equal(await form.locator('select[name=rec-base-kind]').inputValue(), 'experiment');
  assert.equal(await form.locator('input[name=rec-experiment]').inputValue(), String(runId));
  await p.locator('[data-testid=recommend-base-run]', { hasText: 'small base' }).waitFor();

  // A trace entry as the base: main refuses it, the form says why, nothing is saved.
  const trace = await api<{ id: number }>(p, 'experiments.create', {
    kind: 'trace',
    title: 'a dump',
  });
  await form.locator('input[name=rec-experiment]').fill(String(trace.id));
  await p
    .locator('[data-testid=recommend-base-run]', { hasText: 'a trace, not a simulation run' })
    .waitFor();
  const groups = async () => (await api<unknown[]>(p, 'sweeps.list', {})).length;
  const before = { entries: await entries(), groups: await groups() };
  await p.locator('[data-testid=recommend-run]').click();
  await p
    .locator('[data-testid=recommend-error]', { hasText: 'is a trace, not a simulation run' })
    .waitFor();
  assert.deepEqual({ entries: await entries(), groups: await groups() }, before);

  await form.locator('input[name=rec-experiment]').fill(String(runId));
  await setTarget(0, 'maxListLength', '<=', '8');
  await setTarget(1, 'remoteFraction', '<=', '0.3');
  await form.locator('input[name=rec-ks]').fill('0, 1, 2');
  await p.locator('[data-testid=recommend-run]').click();
  await p.waitForFunction(() => /^#\/experiment\/\d+\/setup$/.test(location.hash), undefined, {
    timeout: 120_000,
  });
  const panel = p.locator('[data-testid=recommendation]');
  await panel.waitFor();
  assert.match(await panel.locator('.small-print').innerText(), /Base custom: 4 pCPUs, 6 domains/);
  // The browser logs the refused request's 400 as a console error: that one was expected.
  assert.deepEqual(
    ui.pageErrors.filter((e) => !/status of 400 .*\/api\/recommend\.start/.test(e)),
    [],
  );
});
