/**
 * Simulation setup end to end (issue 6 item 1): presets with their rationale, every parameter
 * with unit and source, inline zod validation, Run with Ctrl+Enter, the progress bar finishing,
 * and the new run opening in its Run view; then the read-only setup and Re-run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { artifactPath, useLabPage } from './harness';

const ui = useLabPage({ width: 1400, height: 1000 });

test('setup: presets, validation, Run, progress, Run view, read-only + Re-run', async () => {
  await ui.page.goto(ui.lab.url);
  await ui.page.locator('button.new-sim').click();
  await ui.page.getByRole('heading', { name: 'New simulation' }).waitFor();

  // Presets with their rationale.
  const worst = ui.page.locator('.preset[data-preset="seed-worst-case"]');
  await worst.waitFor();
  assert.match(await worst.locator('.rationale').innerText(), /4,194,304/);

  // Every field shows unit and source; K and the walk cost cite the series.
  assert.match(
    await ui.page.locator('.field[data-field="policy.K"] .source').innerText(),
    /K = 128: the series’ default/,
  );
  assert.match(
    await ui.page.locator('.field[data-field="costs.walkNsPerEntry"] .source').innerText(),
    /170 ns per entry: 22 µs \/ 128 entries/,
  );
  assert.equal(
    await ui.page.locator('.field[data-field="costs.walkNsPerEntry"] .unit').innerText(),
    'ns/entry',
  );

  // A preset fills the form.
  await worst.locator('button.preset-use').click();
  assert.equal(await ui.page.locator('[name="workload.domains"]').inputValue(), '32768');
  assert.equal(await ui.page.locator('[name="workload.placement"]').inputValue(), 'pcpu0');

  // A small custom setup: 8 pCPUs, 16 x 4 vCPUs, series K = 4, 50 ms.
  await ui.page.locator('[name="workload.pcpus"]').fill('8');
  await ui.page.locator('[name="workload.domains"]').fill('16');
  await ui.page.locator('[name="workload.vcpusPerDomain"]').fill('4');
  await ui.page.locator('[name="workload.durationNs"]').fill('50');
  await ui.page.locator('[name="policy.policy"]').selectOption('series');
  await ui.page.locator('[name="policy.K"]').fill('4');
  await ui.page.locator('#sim-title').fill('e2e small series K=4');

  // Inline validation: field-level message, Run refused.
  await ui.page.locator('[name="workload.pcpus"]').fill('0');
  const pcpuErr = ui.page.locator('.field[data-field="workload.pcpus"] .field-error');
  await pcpuErr.waitFor();
  assert.ok((await pcpuErr.innerText()).length > 0);
  await ui.page.locator('[name="policy.K"]').fill('1.5');
  await ui.page.locator('.field[data-field="policy.K"] .field-error').waitFor();
  await ui.page.locator('.validation-summary', { hasText: '2 field(s) to fix' }).waitFor();
  await ui.page.locator('[name="workload.pcpus"]').scrollIntoViewIfNeeded();
  await ui.page.screenshot({ path: artifactPath('setup-invalid.png') });
  await ui.page.locator('[name="workload.pcpus"]').fill('8');
  await ui.page.locator('[name="policy.K"]').fill('4');
  await pcpuErr.waitFor({ state: 'detached' });
  await ui.page.locator('.derived', { hasText: 'bound = floor(H / P) + K = 12' }).waitFor();

  // Run with Ctrl+Enter: a progress bar appears, the job finishes, the Run view opens.
  await ui.page.locator('body').press('Control+Enter');
  await ui.page.locator('.run-bar .job, .statusbar .job').first().waitFor();
  await ui.page.locator('.tabs button[data-tab="run"].active').waitFor({ timeout: 120_000 });
  await ui.page.locator('[data-testid="run-view"]').waitFor();
  const nbItem = ui.page.locator('.nb-item', { hasText: 'e2e small series K=4' });
  await nbItem.first().waitFor();
  assert.match(await nbItem.first().innerText(), /series/);
  await ui.page.locator('.statusbar .job[data-state="done"]').first().waitFor();
  await ui.page.screenshot({ path: artifactPath('setup-run-done.png') });

  // Setup is read-only once run; Re-run opens a prefilled setup.
  await ui.page.locator('.tabs button[data-tab="setup"]').click();
  await ui.page.locator('.rerun-btn').waitFor();

  // Beside the parameters: provenance with Re-run and verify (identical), and Sweep from here.
  await ui.page.locator('[data-testid="verify-button"]').click();
  await ui.page
    .locator('[data-testid="verify-outcome"][data-outcome="identical"]')
    .waitFor({ timeout: 120_000 });
  await ui.page.locator('button.sweep-from-btn').waitFor();
  await ui.page.screenshot({ path: artifactPath('setup-readonly.png') });
  assert.equal(await ui.page.locator('[name="workload.pcpus"]').isDisabled(), true);
  assert.equal(await ui.page.locator('[name="workload.pcpus"]').inputValue(), '8');
  await ui.page.locator('.rerun-btn').click();
  await ui.page.getByRole('heading', { name: 'New simulation' }).waitFor();
  assert.equal(await ui.page.locator('[name="policy.K"]').inputValue(), '4');
  assert.equal(await ui.page.locator('[name="workload.pcpus"]').isDisabled(), false);
  assert.match(await ui.page.locator('#sim-title').inputValue(), /\(re-run\)/);
  assert.deepEqual(ui.pageErrors, []);
});

test('setup: Cancel stops a long run and nothing is saved', async () => {
  await ui.page.goto(ui.lab.url);
  await ui.page.locator('button.new-sim').click();
  await ui.page.locator('.preset[data-preset="seed-worst-case"] button.preset-use').click();
  // 4M vCPUs for 2 s of virtual time: long enough to be cancelled mid-way.
  await ui.page.locator('[name="workload.durationNs"]').fill('2000');
  await ui.page.locator('#sim-title').fill('e2e to be cancelled');
  await ui.page.locator('button.run-btn').click();
  const cancel = ui.page.locator('.run-bar button.job-cancel');
  await cancel.waitFor();
  await cancel.click();
  await ui.page.locator('.run-message', { hasText: 'Cancelled' }).waitFor({ timeout: 60_000 });
  assert.equal(await ui.page.locator('.nb-item', { hasText: 'e2e to be cancelled' }).count(), 0);
});
