/**
 * Trace import end to end (issue 6 item 3): a real xentrace dump through the file input (uploaded
 * to the browser host), cpu_hz left empty (estimated; the 2.4 GHz default only a fallback), the job
 * finishing, the trace opening in its Run view, then a replay from the Replays tab listed as a
 * child of the trace and comparable with the observed run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, artifactPath, useLabPage } from './harness';

/** The fixture dump (copied from the shared data set when the fixtures lack it). */
function fixture(): string {
  const candidates = [
    join(ROOT, 'test/fixtures/traces/run2/pvh-sched.bin'),
    join(ROOT, 'test/fixtures/traces/pvh-sched.bin'),
  ];
  for (const c of candidates) if (existsSync(c)) return c;
  mkdirSync(join(ROOT, 'test/fixtures/traces/run2'), { recursive: true });
  copyFileSync('/work/shared/data/traces/run2/pvh-sched.bin', candidates[0]);
  return candidates[0];
}

const ui = useLabPage({ width: 1400, height: 1000 });

test('trace import: file input, cpu_hz estimated, job done, Run view, replay', async () => {
  await ui.page.goto(ui.lab.url);
  await ui.page.locator('button.import-dump').click();
  await ui.page.getByRole('heading', { name: 'Import a xentrace dump' }).waitFor();
  assert.match(
    await ui.page.locator('.trace-import').innerText(),
    /2\.4 GHz is used only as a last/,
  );

  // Validation: nothing chosen, a bad cpu_hz and a bad domain list are refused inline.
  await ui.page.locator('#trace-cpuhz').fill('-3');
  await ui.page.locator('.field-error', { hasText: 'a positive number' }).waitFor();
  await ui.page.locator('#trace-cpuhz').fill('');
  await ui.page.locator('#trace-domains').fill('1, x');
  await ui.page.locator('.field-error', { hasText: '"x" is not a number' }).waitFor();
  await ui.page.locator('#trace-domains').fill('');
  await ui.page.locator('button.import-btn').click();
  await ui.page.locator('.field-error', { hasText: 'choose a xentrace dump' }).waitFor();

  await ui.page.locator('input.trace-file').setInputFiles(fixture());
  await ui.page.locator('#trace-title').fill('e2e pvh-sched');
  await ui.page.locator('button.import-btn').click();
  await ui.page.locator('.run-bar .job, .statusbar .job').first().waitFor();
  await ui.page.locator('.tabs button[data-tab="run"].active').waitFor({ timeout: 120_000 });
  await ui.page.locator('[data-testid="run-view"]').waitFor();
  await ui.page.locator('.nb-item', { hasText: 'e2e pvh-sched' }).first().waitFor();
  await ui.page.screenshot({ path: artifactPath('trace-import-done.png') });

  // An annotation pinned to (2.22 s, pCPU 0): clicking it moves the Run view's cursor there.
  await ui.page.locator('.tabs button[data-tab="notes"]').click();
  await ui.page.getByLabel('Annotation time').fill('2.22');
  await ui.page.getByLabel('Time unit').selectOption('s');
  await ui.page.getByLabel('Annotation pCPU').fill('0');
  await ui.page.getByLabel('Annotation text').fill('first list entry on pCPU 0');
  await ui.page.locator('button.add-annotation-btn').click();
  const ann = ui.page.locator('tr.annotation-row', { hasText: 'first list entry on pCPU 0' });
  await ann.waitFor();
  await ann.click();
  await ui.page.locator('.tabs button[data-tab="run"].active').waitFor();
  await ui.page.locator('[data-testid="run-nav"]', { hasText: /cursor 2\.22 s/ }).waitFor();

  // The Setup tab shows what was imported: cpu_hz and where it came from.
  await ui.page.locator('.tabs button[data-tab="setup"]').click();
  const hz = await ui.page.locator('.cpu-hz').innerText();
  assert.match(hz, /GHz/);
  assert.match(hz, /estimate|user|default/);
  await ui.page.locator('[data-testid="provenance-panel"]').waitFor();
  await ui.page.screenshot({ path: artifactPath('trace-setup.png') });

  // Replays: series K = 128 -> a child experiment, openable, comparable with the observed run.
  await ui.page.locator('.tabs button[data-tab="replays"]').click();
  await ui.page.locator('tr[data-policy="least-loaded"] input[type="checkbox"]').uncheck();
  await ui.page.locator('tr[data-policy="series"] input[type="checkbox"]').check();
  await ui.page.locator('button.replay-btn').click();
  const row = ui.page.locator('tr.replay-row').first();
  await row.waitFor({ timeout: 120_000 });
  assert.match(await row.innerText(), /series/);
  await ui.page.screenshot({ path: artifactPath('trace-replays.png') });
  await row.getByRole('button', { name: 'Compare with observed' }).click();
  assert.match(ui.page.url(), /#\/compare\/\d+,\d+/);
  await row.waitFor({ state: 'detached' });

  // Compare from the notebook: tick two runs, Compare.
  await ui.page.locator('.nb-item input.cmp').nth(0).check();
  await ui.page.locator('.nb-item input.cmp').nth(1).check();
  await ui.page.locator('button.compare-btn', { hasText: 'Compare (2)' }).click();
  await ui.page.waitForURL(/#\/compare\/\d+,\d+$/);
  assert.deepEqual(ui.pageErrors, []);
});
