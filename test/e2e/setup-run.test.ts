/**
 * Simulation setup end to end (issue 6 item 1): presets with their rationale, every parameter
 * with unit and source, inline zod validation, Run with Ctrl+Enter, the progress bar finishing,
 * and the new run opening in its Run view; then the read-only setup and Re-run.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { artifactPath, launchBrowser, startLab } from './harness';

type Lab = Awaited<ReturnType<typeof startLab>>;
let lab: Lab;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

before(async () => {
  lab = await startLab();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
});

after(async () => {
  await browser?.close();
  await lab?.close();
});

test('setup: presets, validation, Run, progress, Run view, read-only + Re-run', async () => {
  await page.goto(lab.url);
  await page.locator('button.new-sim').click();
  await page.getByRole('heading', { name: 'New simulation' }).waitFor();

  // Presets with their rationale.
  const worst = page.locator('.preset[data-preset="seed-worst-case"]');
  await worst.waitFor();
  assert.match(await worst.locator('.rationale').innerText(), /4,194,304/);

  // Every field shows unit and source; K and the walk cost cite the series.
  assert.match(
    await page.locator('.field[data-field="policy.K"] .source').innerText(),
    /K = 128: the series’ default/,
  );
  assert.match(
    await page.locator('.field[data-field="costs.walkNsPerEntry"] .source').innerText(),
    /170 ns per entry: 22 µs \/ 128 entries/,
  );
  assert.equal(
    await page.locator('.field[data-field="costs.walkNsPerEntry"] .unit').innerText(),
    'ns/entry',
  );

  // A preset fills the form.
  await worst.locator('button.preset-use').click();
  assert.equal(await page.locator('[name="workload.domains"]').inputValue(), '32768');
  assert.equal(await page.locator('[name="workload.placement"]').inputValue(), 'pcpu0');

  // A small custom setup: 8 pCPUs, 16 x 4 vCPUs, series K = 4, 50 ms.
  await page.locator('[name="workload.pcpus"]').fill('8');
  await page.locator('[name="workload.domains"]').fill('16');
  await page.locator('[name="workload.vcpusPerDomain"]').fill('4');
  await page.locator('[name="workload.durationNs"]').fill('50');
  await page.locator('[name="policy.policy"]').selectOption('series');
  await page.locator('[name="policy.K"]').fill('4');
  await page.locator('#sim-title').fill('e2e small series K=4');

  // Inline validation: field-level message, Run refused.
  await page.locator('[name="workload.pcpus"]').fill('0');
  const pcpuErr = page.locator('.field[data-field="workload.pcpus"] .field-error');
  await pcpuErr.waitFor();
  assert.ok((await pcpuErr.innerText()).length > 0);
  await page.locator('[name="policy.K"]').fill('1.5');
  await page.locator('.field[data-field="policy.K"] .field-error').waitFor();
  await page.locator('.validation-summary', { hasText: '2 field(s) to fix' }).waitFor();
  await page.locator('[name="workload.pcpus"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: artifactPath('setup-invalid.png') });
  await page.locator('[name="workload.pcpus"]').fill('8');
  await page.locator('[name="policy.K"]').fill('4');
  await pcpuErr.waitFor({ state: 'detached' });
  await page.locator('.derived', { hasText: 'bound = floor(H / P) + K = 12' }).waitFor();

  // Run with Ctrl+Enter: a progress bar appears, the job finishes, the Run view opens.
  await page.locator('body').press('Control+Enter');
  await page.locator('.run-bar .job, .statusbar .job').first().waitFor();
  await page.locator('.tabs button[data-tab="run"].active').waitFor({ timeout: 120_000 });
  await page.locator('[data-testid="run-view"]').waitFor();
  const nbItem = page.locator('.nb-item', { hasText: 'e2e small series K=4' });
  await nbItem.first().waitFor();
  assert.match(await nbItem.first().innerText(), /series/);
  await page.locator('.statusbar .job[data-state="done"]').first().waitFor();
  await page.screenshot({ path: artifactPath('setup-run-done.png') });

  // Setup is read-only once run; Re-run opens a prefilled setup.
  await page.locator('.tabs button[data-tab="setup"]').click();
  await page.locator('.rerun-btn').waitFor();

  // Beside the parameters: provenance with Re-run and verify (identical), and Sweep from here.
  await page.locator('[data-testid="verify-button"]').click();
  await page
    .locator('[data-testid="verify-outcome"][data-outcome="identical"]')
    .waitFor({ timeout: 120_000 });
  await page.locator('button.sweep-from-btn').waitFor();
  await page.screenshot({ path: artifactPath('setup-readonly.png') });
  assert.equal(await page.locator('[name="workload.pcpus"]').isDisabled(), true);
  assert.equal(await page.locator('[name="workload.pcpus"]').inputValue(), '8');
  await page.locator('.rerun-btn').click();
  await page.getByRole('heading', { name: 'New simulation' }).waitFor();
  assert.equal(await page.locator('[name="policy.K"]').inputValue(), '4');
  assert.equal(await page.locator('[name="workload.pcpus"]').isDisabled(), false);
  assert.match(await page.locator('#sim-title').inputValue(), /\(re-run\)/);
  assert.deepEqual(pageErrors, []);
});

test('setup: Cancel stops a long run and nothing is saved', async () => {
  await page.goto(lab.url);
  await page.locator('button.new-sim').click();
  await page.locator('.preset[data-preset="seed-worst-case"] button.preset-use').click();
  // 4M vCPUs for 2 s of virtual time: long enough to be cancelled mid-way.
  await page.locator('[name="workload.durationNs"]').fill('2000');
  await page.locator('#sim-title').fill('e2e to be cancelled');
  await page.locator('button.run-btn').click();
  const cancel = page.locator('.run-bar button.job-cancel');
  await cancel.waitFor();
  await cancel.click();
  await page.locator('.run-message', { hasText: 'Cancelled' }).waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('.nb-item', { hasText: 'e2e to be cancelled' }).count(), 0);
});
