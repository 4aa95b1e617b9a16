/**
 * Issue 9 (engine side) end to end: the Setup form's "Coalesced wakeups" field, the Run view's
 * "time above the bound" and "coalesced wakeups" cards, and the compare view's above-the-bound
 * rows, all against the engine's own summary for the same parameters.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { artifactPath, useLabPage } from './harness';
import { runSimulation } from './page-api';
import { simulate } from '../../main/engine/index';
import { SimParamsSchema, type SimParamsInput } from '../../shared/params';
import { fmtInt, fmtNs } from '../../renderer/src/components/util/format';

const ui = useLabPage({ width: 1400, height: 1000 });

/** Domain churn lowers H while lists are populated: lists stay above the lowered bound. */
const CHURN: SimParamsInput = {
  workload: {
    pcpus: 8,
    domains: 16,
    vcpusPerDomain: 4,
    placement: 'random',
    domainChurnPerSec: 400,
    durationNs: 2e8,
  },
  policy: { policy: 'series', K: 1, coalesceNs: 20_000 },
  buckets: 256,
  seed: 3,
};

test('Setup has the coalesced-wakeups field; Run and Compare show the above-the-bound figures', async () => {
  await ui.page.goto(ui.lab.url);
  await ui.page.locator('button.new-sim').click();
  await ui.page.getByRole('heading', { name: 'New simulation' }).waitFor();
  const field = ui.page.locator('.field[data-field="policy.coalesceNs"]');
  assert.equal(await field.locator('.unit').innerText(), 'µs');
  assert.match(await field.locator('.source').innerText(), /pi_wakeup_interrupt/);
  const input = ui.page.locator('[name="policy.coalesceNs"]');
  assert.equal(await input.inputValue(), '');
  assert.equal(await input.getAttribute('placeholder'), 'off');
  await ui.page.locator('[name="policy.coalesceNs"]').fill('-1');
  await field.locator('.field-error').waitFor();
  await ui.page.locator('[name="policy.coalesceNs"]').fill('20');
  await field.locator('.field-error').waitFor({ state: 'detached' });
  await field.scrollIntoViewIfNeeded();
  await ui.page.screenshot({ path: artifactPath('setup-coalesce-field.png') });

  const want = simulate(SimParamsSchema.parse(CHURN)).summary;
  assert.ok(want.aboveBoundSteps! > 0, 'the churn run has lists above the bound');
  assert.ok(want.coalescedPosts! > 0, 'posts shared walks');
  const a = await runSimulation(ui.page, CHURN, 'e2e above the bound, series K=1, coalesced');
  const upstream = { ...CHURN, policy: { policy: 'upstream', K: 1 } } as SimParamsInput;
  const b = await runSimulation(ui.page, upstream, 'e2e above the bound, upstream');

  await ui.page.goto(`${ui.lab.url.replace(/#.*$/, '')}#/experiment/${a}/run`);
  await ui.page.locator(`[data-testid=run-view][data-experiment="${a}"]`).waitFor();
  await ui.page.locator('[data-testid=chart-heatmap][data-painted="1"]').waitFor();
  const card = ui.page.locator('[data-card="above-bound"]');
  assert.equal(await card.locator('.card-value').innerText(), fmtNs(want.aboveBoundPcpuNs));
  assert.equal(
    await card.locator('.card-sub').innerText(),
    `max +${fmtInt(want.aboveBoundMaxExcess)} ${want.aboveBoundMaxExcess === 1 ? 'entry' : 'entries'} · ${fmtInt(want.aboveBoundSteps)} ops`,
  );
  assert.match(
    (await card.locator('.card-sub').getAttribute('title')) ?? '',
    new RegExp(
      `^${fmtNs(want.aboveBoundPcpuNs)} of pCPU-time .* ${fmtNs(want.aboveBoundEntryNs)} × entries`,
    ),
  );
  assert.equal(
    await ui.page.locator('[data-card="coalesced"] .card-value').innerText(),
    `${fmtInt(want.coalescedPosts)} posts`,
  );
  await ui.page
    .locator('[data-testid=summary-cards]')
    .screenshot({ path: artifactPath('run-above-bound-cards.png') });

  await ui.page.goto(`${ui.lab.url.replace(/#.*$/, '')}#/compare/${a},${b}`);
  await ui.page.locator('[data-testid=compare-view]').waitFor();
  // The metric rows arrive with the runs' summaries, after the view itself: allInnerTexts does
  // not wait, so wait for the last row first.
  await ui.page
    .locator('[data-testid=metric-table] tr[data-metric="aboveBoundSteps"] td')
    .first()
    .waitFor();
  for (const key of [
    'aboveBoundPcpuNs',
    'aboveBoundEntryNs',
    'aboveBoundMaxExcess',
    'aboveBoundSteps',
  ]) {
    const cells = await ui.page
      .locator(`[data-testid=metric-table] tr[data-metric="${key}"] td`)
      .allInnerTexts();
    assert.ok(cells.length >= 2, `${key}: ${cells.join(' | ')}`);
    assert.ok(!cells.slice(0, 2).includes('—'), `${key} has values: ${cells.join(' | ')}`);
  }
  const steps = await ui.page
    .locator('[data-testid=metric-table] tr[data-metric="aboveBoundSteps"] td')
    .first()
    .innerText();
  assert.equal(steps, fmtInt(want.aboveBoundSteps));
  await ui.page
    .locator('[data-testid=metric-table]')
    .screenshot({ path: artifactPath('compare-above-bound.png') });
  assert.deepEqual(ui.pageErrors, []);
});
