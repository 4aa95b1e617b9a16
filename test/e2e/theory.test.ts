/**
 * Theory beside the simulation (issue 14 item 3) end to end: the Run view's Theory panel shows the
 * policy's formula, the predicted and the measured longest list and, when they part by more than
 * the stated O(1), a finding; Compare has a "max list: predicted" row. Numbers are checked against
 * the engine's own run of the same parameters (deterministic given the seed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { artifactPath, useLabPage } from './harness';
import { runSimulation, SMALL_RUN } from './page-api';
import { shootLightDark } from './lab-helpers';
import { lengthsAt, simulate } from '../../main/engine/index';
import { SimParamsSchema, type SimParamsInput } from '../../shared/params';
import { isFinding, predictMaxList, theoryInputAtMax } from '../../shared/theory';
import { fmtInt, fmtNum } from '../../renderer/src/components/util/format';

const ui = useLabPage({ width: 1600, height: 1000 });

const LEAST: SimParamsInput = { ...SMALL_RUN, policy: { policy: 'least-loaded' } };
/** Every vCPU runs on pCPU 0, so one of the "two choices" is always pCPU 0: not Azar's process. */
const TWO_PCPU0: SimParamsInput = {
  ...SMALL_RUN,
  workload: { ...SMALL_RUN.workload, placement: 'pcpu0' },
  policy: { policy: 'two-choices' },
};

/** upstream with vCPUs running on random pCPUs (no hotplug): predicted from the placement alone. */
const UPSTREAM_RANDOM: SimParamsInput = {
  ...SMALL_RUN,
  workload: { ...SMALL_RUN.workload, hotplug: [] },
  policy: { policy: 'upstream' },
};

/** The engine's answer: the theory fed the same state the panel reads through the API. */
function expected(params: SimParamsInput) {
  const p = SimParamsSchema.parse(params);
  const r = simulate(p);
  const s = r.summary;
  const at = lengthsAt(r, s.maxListAtNs);
  const input = theoryInputAtMax({
    policy: p.policy,
    boundAtMax: s.boundAtMax,
    lengths: at.lengths,
    online: at.online,
    busiestPcpuBlocked: s.maxListLength,
    placement: p.workload.placement,
    blocks: s.opCounts.block ?? 0,
  });
  const pred = predictMaxList(input)!;
  return { s, input, pred, finding: isFinding(pred, s.maxListLength) };
}

async function openRun(id: number) {
  await ui.page.goto(`${ui.lab.url.replace(/#.*$/, '')}#/experiment/${id}/run`);
  const panel = ui.page.locator('[data-testid=theory-panel]');
  await ui.page
    .locator('[data-testid=theory-panel][data-predicted]:not([data-predicted=""])')
    .waitFor();
  return panel;
}

test('Run view Theory panel: formula and both numbers; a finding flagged; Compare row', async () => {
  await ui.page.goto(ui.lab.url);
  await ui.page.waitForLoadState('networkidle');
  const least = expected(LEAST);
  const two = expected(TWO_PCPU0);
  assert.equal(least.finding, false, 'least-loaded agrees with ⌈m/n⌉ on this run');
  assert.equal(two.finding, true, 'two-choices from pCPU 0 departs from Azar et al.');

  const a = await runSimulation(ui.page, LEAST, 'e2e theory least-loaded');
  const b = await runSimulation(ui.page, TWO_PCPU0, 'e2e theory two-choices pcpu0');

  let panel = await openRun(a);
  assert.equal(await panel.getAttribute('data-policy'), 'least-loaded');
  assert.match(await panel.locator('[data-testid=theory-formula]').innerText(), /⌈H_blocked \/ P⌉/);
  assert.equal(
    await panel.locator('[data-testid=theory-plugged]').innerText(),
    `H_blocked = ${least.input.blocked}, P = ${least.input.pcpus}: ⌈${least.input.blocked} / ${least.input.pcpus}⌉ = ${least.pred.predicted}`,
  );
  assert.equal(
    await panel.locator('[data-testid=theory-predicted]').innerText(),
    fmtNum(least.pred.predicted, 2),
  );
  assert.equal(
    await panel.locator('[data-testid=theory-measured]').innerText(),
    fmtInt(least.s.maxListLength),
  );
  assert.equal(await panel.getAttribute('data-finding'), '0');
  await panel.locator('[data-testid=theory-agrees]').waitFor();
  assert.equal(await panel.locator('[data-testid=theory-finding]').count(), 0);

  panel = await openRun(b);
  assert.match(await panel.locator('[data-testid=theory-formula]').innerText(), /ln ln n \/ ln 2/);
  assert.match(await panel.innerText(), /Balanced allocations/);
  assert.equal(
    await panel.locator('[data-testid=theory-predicted]').innerText(),
    fmtNum(two.pred.predicted, 2),
  );
  assert.equal(
    await panel.locator('[data-testid=theory-measured]').innerText(),
    fmtInt(two.s.maxListLength),
  );
  const finding = panel.locator('[data-testid=theory-finding]');
  await finding.waitFor();
  assert.match(await finding.innerText(), /Finding: departs by/);
  await shootLightDark(ui.page, 'theory-panel', async () => {
    await panel.scrollIntoViewIfNeeded();
    const box = (await panel.boundingBox())!;
    assert.ok(box.height > 60 && box.width > 400, `panel laid out: ${JSON.stringify(box)}`);
  });

  // upstream, random placement: balls in bins over the run's blocks, from the placement alone.
  const up = expected(UPSTREAM_RANDOM);
  const c = await runSimulation(ui.page, UPSTREAM_RANDOM, 'e2e theory upstream random');
  panel = await openRun(c);
  assert.match(
    await panel.locator('[data-testid=theory-formula]').innerText(),
    /random placement: each of B blocks joins a random pCPU/,
  );
  assert.equal(await panel.locator('[data-testid=theory-plugged]').innerText(), up.pred.plugged);
  assert.match(
    up.pred.plugged,
    /^m = \d+, n = 8, B = \d+: median \d+ \(5–95 %: \d+–\d+\); one instant: \d+$/,
  );
  assert.equal(
    await panel.locator('[data-testid=theory-predicted]').innerText(),
    fmtNum(up.pred.predicted, 2),
  );
  assert.equal(await panel.getAttribute('data-finding'), up.finding ? '1' : '0');
  await panel.scrollIntoViewIfNeeded();
  await ui.page.screenshot({ path: artifactPath('theory-upstream-random.png') });

  await ui.page.goto(`${ui.lab.url.replace(/#.*$/, '')}#/compare/${a},${b}`);
  const row = ui.page.locator('[data-testid=metric-table] tr[data-metric="maxListPredicted"]');
  await row.locator('th', { hasText: 'max list: predicted' }).waitFor();
  await ui.page.waitForFunction(
    () =>
      document.querySelector('[data-testid=metric-table] tr[data-metric="maxListPredicted"] td')
        ?.textContent !== '—',
  );
  const cells = await row.locator('td').allInnerTexts();
  // Run a, run b, Δ, Δ %.
  assert.equal(cells[0], fmtNum(least.pred.predicted, 2));
  assert.equal(cells[1], fmtNum(two.pred.predicted, 2));
  await shootLightDark(ui.page, 'compare-theory', async () => {
    await row.scrollIntoViewIfNeeded();
  });
});
