/**
 * Files that are not dumps, through the browser (issue 11, item 5): a text file is refused with a
 * visible error and no experiment appears; a truncated dump is imported with a damage banner at the
 * top of its Run view.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, artifactPath, useLabPage } from './harness';

const ui = useLabPage({ width: 1400, height: 1000 });
const dir = mkdtempSync(join(tmpdir(), 'xpl-e2e-damage-'));

async function importFile(path: string, title: string) {
  await ui.page.goto(ui.lab.url);
  await ui.page.locator('button.import-dump').click();
  await ui.page.getByRole('heading', { name: 'Import a xentrace dump' }).waitFor();
  await ui.page.locator('input.trace-file').setInputFiles(path);
  await ui.page.locator('#trace-title').fill(title);
  await ui.page.locator('button.import-btn').click();
}

test('a text file is refused with a visible error and saves nothing', async () => {
  const text = join(dir, 'notes.txt');
  writeFileSync(text, 'this is not a xentrace dump\n'.repeat(40));
  await importFile(text, 'e2e text file');
  const toast = ui.page.locator('.toast', { hasText: 'holds no valid xentrace record' });
  await toast.waitFor({ timeout: 60_000 });
  await ui.page.locator('.trace-import', { hasText: 'Failed:' }).waitFor();
  await ui.page.screenshot({ path: artifactPath('trace-import-not-a-dump.png') });
  assert.deepEqual(ui.lab.services.store.listExperiments(), []);
  assert.equal(await ui.page.locator('.nb-item', { hasText: 'e2e text file' }).count(), 0);
});

test('a truncated dump is saved and its Run view says it is damaged', async () => {
  const cut = join(dir, 'cut.bin');
  writeFileSync(
    cut,
    readFileSync(join(ROOT, 'test/fixtures/traces/pvh-sched.bin')).subarray(0, 100_000),
  );
  await importFile(cut, 'e2e truncated');
  await ui.page.locator('.tabs button[data-tab="run"].active').waitFor({ timeout: 120_000 });
  const banner = ui.page.locator('[data-testid="trace-damage"]');
  await banner.waitFor();
  assert.match(await banner.innerText(), /Damaged dump: \d+ decoding errors?\./);
  assert.match(await banner.innerText(), /truncated dump/);
  await ui.page.screenshot({ path: artifactPath('trace-import-damaged.png') });
  assert.deepEqual(ui.pageErrors, []);
});
