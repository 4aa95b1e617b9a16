/**
 * Setup as a Xen engineer reads it (issue 12 items 2, 8, 12), in Chromium: the title follows the
 * parameters until typed (a preset's "· upstream" cannot stick to a series run), the third column
 * is about the value in the field, validation reads like the CLI, and a job shows no ETA until
 * its progress rate is steady.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { artifactPath, useLabPage } from './harness';
import { shootLightDark } from './lab-helpers';

const ui = useLabPage({ width: 1600, height: 1000 }, { consoleErrors: true });

test('the title is derived from the parameters until the user types one', async () => {
  const p = ui.page;
  await p.goto(ui.lab.url);
  await p.locator('button.new-sim').click();
  await p.locator('.preset[data-preset="seed-worst-case"] button.preset-use').click();
  const title = p.locator('#sim-title');
  assert.equal(await title.getAttribute('placeholder'), 'seed-worst-case · upstream · seed 1');
  assert.equal(await title.inputValue(), '');
  // The README workflow: switch the policy; the title follows.
  await p.locator('[name="policy.policy"]').selectOption('series');
  assert.equal(await title.getAttribute('placeholder'), 'seed-worst-case · series K=128 · seed 1');
  await p.locator('[name="policy.policy"]').selectOption('least-loaded');
  assert.equal(await title.getAttribute('placeholder'), 'seed-worst-case · least-loaded · seed 1');

  // Typed titles stay; clearing hands the title back to the parameters.
  await title.fill('my own');
  await p.locator('[name="policy.policy"]').selectOption('series');
  assert.equal(await title.inputValue(), 'my own');
  await title.fill('');
  assert.equal(await title.getAttribute('data-auto'), 'true');

  // A small series run saved with the derived title (not the preset's "upstream").
  await p.locator('[name="workload.pcpus"]').fill('8');
  await p.locator('[name="workload.domains"]').fill('8');
  await p.locator('[name="workload.vcpusPerDomain"]').fill('2');
  await p.locator('[name="workload.durationNs"]').fill('20');
  await p.locator('[name="workload.placement"]').selectOption('random');
  await p.locator('button.run-btn').click();
  await p.locator('.tabs button[data-tab="run"].active').waitFor({ timeout: 120_000 });
  const item = p.locator('.nb-item', { hasText: 'seed-worst-case · series K=128 · seed 1' });
  await item.first().waitFor();
  assert.equal(await p.locator('.nb-item', { hasText: '· upstream' }).count(), 0);
  assert.deepEqual(ui.pageErrors, []);
});

test('the third column describes the value in the field; messages read like the CLI', async () => {
  const p = ui.page;
  await p.goto(ui.lab.url);
  await p.locator('button.new-sim').click();
  await p.getByRole('heading', { name: 'New simulation' }).waitFor();
  const pcpus = p.locator('.field[data-field="workload.pcpus"] .source');
  // A new setup has 8 pCPUs: the column speaks of 8, keeps the 112-pCPU reference beneath.
  assert.match(
    await pcpus.locator('.value-note').innerText(),
    /^8 pCPUs: H \/ P = 8 vCPUs per pCPU$/,
  );
  assert.match(await pcpus.locator('.reference').innerText(), /Reference: 112 pCPUs/);
  await p.locator('[name="workload.pcpus"]').fill('112');
  assert.equal(await pcpus.locator('.value-note').count(), 0);
  assert.match(await pcpus.innerText(), /^112 pCPUs: the Skylake server/);
  await p.locator('[name="workload.pcpus"]').fill('16');
  assert.match(await pcpus.locator('.value-note').innerText(), /^16 pCPUs: H \/ P = 4 vCPUs/);

  await p.locator('[name="policy.K"]').fill('-5');
  const kErr = p.locator('.field[data-field="policy.K"] .field-error');
  assert.equal(await kErr.innerText(), 'K needs an integer in [0, 16777216], got "-5"');
  await p.locator('[name="workload.runNs"]').fill('0');
  assert.equal(
    await p.locator('.field[data-field="workload.runNs"] .field-error').innerText(),
    'Mean run time needs a number > 0 ms, got "0"',
  );
  const all = await p.locator('.setup-view').innerText();
  assert.doesNotMatch(all, /Too small|Too big|expected number|Invalid input/);
  await p.locator('[name="policy.K"]').scrollIntoViewIfNeeded();
  await shootLightDark(p, 'setup-values', async () => {
    await p.locator('[name="workload.pcpus"]').scrollIntoViewIfNeeded();
  });
  assert.deepEqual(ui.pageErrors, []);
});

test('no ETA until the progress rate is steady', async () => {
  const p = ui.page;
  await p.goto(ui.lab.url);
  await p.locator('button.new-sim').click();
  await p.locator('.preset[data-preset="skylake-112-8to1"] button.preset-use').click();
  // Long enough to be watched, cancelled below.
  await p.locator('[name="workload.durationNs"]').fill('60000');
  await p.locator('#sim-title').fill('e2e eta');
  await p.locator('button.run-btn').click();
  const job = p.locator('.run-bar .job');
  await job.waitFor();
  // The first time the bar shows progress (>= 1 %), the old estimate (elapsed x (1 - f) / f)
  // already printed minutes; now there is none until estimates agree.
  await p.locator('.run-bar .job [role="progressbar"]:not([aria-valuenow="0"])').waitFor();
  assert.equal(await job.locator('.eta').innerText(), 'ETA estimating…');
  await p.screenshot({ path: artifactPath('setup-eta-estimating.png') });
  await job.locator('button.job-cancel').click();
  await p.locator('.run-message', { hasText: 'Cancelled' }).waitFor({ timeout: 60_000 });
  assert.deepEqual(ui.pageErrors, []);
});
