/**
 * The notebook end to end (issue 2): create an experiment, rename it, tag it, write a Markdown
 * note (live preview), add an annotation, reload and see it all persisted, delete it with the
 * confirmation dialog. Real service layer + browser host + Debian chromium.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => {
    // A missing favicon is not an app error.
    if (m.type() === 'error' && !/favicon/.test(m.location().url))
      pageErrors.push(`${m.text()} (${m.location().url})`);
  });
});

after(async () => {
  await browser?.close();
  await lab?.close();
});

test('notebook: create, rename, tag, note, annotate, reload, delete', async () => {
  await page.goto(lab.url);

  // Empty state with a call to action.
  await page.getByRole('heading', { name: 'No experiments yet' }).waitFor();
  await page.screenshot({ path: artifactPath('notebook-empty.png') });

  // Create (title, kind).
  await page.locator('button.new-entry').click();
  await page.locator('input[name="new-title"]').fill('seed worst case notes');
  await page.locator('select[name="new-kind"]').selectOption('simulation');
  await page.locator('button.create-submit').click();
  const item = page.locator('.nb-item', { hasText: 'seed worst case notes' });
  await item.first().waitFor();
  await page.locator('h1.exp-title', { hasText: 'seed worst case notes' }).waitFor();

  // Rename.
  await page.locator('button.rename-btn').click();
  await page.locator('input.title-input').fill('Seed worst case: pCPU 0');
  await page.locator('input.title-input').press('Enter');
  await page.locator('h1.exp-title', { hasText: 'Seed worst case: pCPU 0' }).waitFor();

  // Tags: add two, remove one.
  const tagInput = page.locator('.exp-head input.tag-input');
  await tagInput.fill('worst-case');
  await tagInput.press('Enter');
  await page.locator('.exp-head .tag[data-tag="worst-case"]').waitFor();
  await tagInput.fill('scratch');
  await tagInput.press('Enter');
  await page.locator('.exp-head .tag[data-tag="scratch"]').waitFor();
  await page.getByRole('button', { name: 'Remove tag scratch' }).first().click();
  await page.locator('.exp-head .tag[data-tag="scratch"]').waitFor({ state: 'detached' });

  // Notes with live preview (Markdown, raw HTML escaped), saved with Ctrl+S.
  await page.locator('.tabs button[data-tab="notes"]').click();
  const editor = page.locator('textarea.notes-editor');
  await editor.waitFor();
  await editor.fill(
    '# Finding\n\npCPU 0 holds **4,194,304** entries under `upstream`.\n\n<script>alert(1)</script>\n',
  );
  await page.locator('.notes-preview h1', { hasText: 'Finding' }).waitFor();
  assert.equal(await page.locator('.notes-preview strong').textContent(), '4,194,304');
  assert.equal(await page.locator('.notes-preview script').count(), 0, 'raw HTML is not rendered');
  await editor.press('Control+s');
  await page.locator('[data-testid="notes-state"]', { hasText: 'saved' }).waitFor();
  await page.waitForFunction(
    () => !document.querySelector('[data-testid="notes-state"]')?.textContent?.includes('unsaved'),
  );

  // An annotation; a bad vCPU is rejected inline first.
  await page.getByLabel('Annotation time').fill('12.5');
  await page.getByLabel('Annotation pCPU').fill('0');
  await page.getByLabel('Annotation vCPU').fill('banana');
  await page.getByLabel('Annotation text').fill('pCPU 0 list passes the bound');
  await page.locator('button.add-annotation-btn').click();
  await page.locator('.add-annotation .field-error', { hasText: 'd<dom>v<vcpu>' }).waitFor();
  await page.getByLabel('Annotation vCPU').fill('d3v1');
  await page.locator('button.add-annotation-btn').click();
  await page.locator('tr.annotation-row', { hasText: 'pCPU 0 list passes the bound' }).waitFor();
  assert.match(await page.locator('tr.annotation-row').first().innerText(), /12\.5 ms[\s\S]*d3v1/);

  // Search finds it by a word of its notes.
  await page.locator('#notebook-search').fill('4,194,304');
  await page.locator('.nb-item', { hasText: 'Seed worst case: pCPU 0' }).first().waitFor();
  await page.locator('#notebook-search').fill('no-such-word-anywhere');
  await page.locator('.nb-empty', { hasText: 'No experiment matches' }).waitFor();
  await page.locator('#notebook-search').fill('');
  await page.locator('.nb-item', { hasText: 'Seed worst case: pCPU 0' }).first().waitFor();

  // Reload: everything persisted (and the same experiment and tab reopen from the URL).
  await page.reload();
  await page.locator('h1.exp-title', { hasText: 'Seed worst case: pCPU 0' }).waitFor();
  await page.locator('.nb-group .group-head', { hasText: '#worst-case' }).waitFor();
  await page.locator('.tabs button[data-tab="notes"]').click();
  await page.locator('.notes-preview strong', { hasText: '4,194,304' }).waitFor();
  assert.match(await page.locator('textarea.notes-editor').inputValue(), /# Finding/);
  await page.locator('tr.annotation-row', { hasText: 'pCPU 0 list passes the bound' }).waitFor();
  assert.deepEqual(
    await page
      .locator('.exp-head .tag')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-tag'))),
    ['worst-case'],
  );
  await page.screenshot({ path: artifactPath('notebook.png') });

  // A tag the schema refuses (over 64 characters) is refused inline with the reason.
  await page.locator('.exp-head input.tag-input').fill('x'.repeat(70));
  await page.locator('.exp-head input.tag-input').press('Enter');
  await page.locator('.tag-editor .field-error').first().waitFor();

  // Delete: from the keyboard in the list, cancelled with Escape (nothing happens)...
  await page.locator('.nb-list').focus();
  await page.keyboard.press('Delete');
  await page.locator('.confirm-dialog', { hasText: 'Seed worst case: pCPU 0' }).waitFor();
  await page.keyboard.press('Escape');
  await page.locator('.confirm-dialog').waitFor({ state: 'detached' });
  // ... from the header, cancelled with the button, then confirmed.
  await page.locator('button.delete-btn').click();
  await page.locator('.confirm-dialog').waitFor();
  await page.locator('button.confirm-cancel').click();
  await page.locator('.confirm-dialog').waitFor({ state: 'detached' });
  assert.equal(await page.locator('.nb-item', { hasText: 'Seed worst case: pCPU 0' }).count(), 1);
  await page.locator('button.delete-btn').click();
  await page.locator('.confirm-dialog', { hasText: 'Delete experiment' }).waitFor();
  await page.screenshot({ path: artifactPath('notebook-delete-confirm.png') });
  await page.locator('button.confirm-ok').click();
  await page.getByRole('heading', { name: 'No experiments yet' }).waitFor();
  assert.equal(await page.locator('.nb-item').count(), 0);

  // Gone from the store too, after a reload.
  await page.reload();
  await page.getByRole('heading', { name: 'No experiments yet' }).waitFor();
  assert.deepEqual(pageErrors, []);
});

test('notebook: API errors are shown with code and details', async () => {
  await page.goto(lab.url);
  await page.locator('button.new-entry').waitFor();
  // Opening an experiment that does not exist: the store answers not-found.
  await page.goto(lab.url.replace(/#.*$/, '') + '#/experiment/999999/run');
  await page.reload();
  const toast = page.locator('.error-toast').first();
  await toast.waitFor();
  assert.match(await toast.innerText(), /not-found/);
  await toast.getByRole('button', { name: 'Dismiss error' }).click();
  await page.locator('.error-toast').first().waitFor({ state: 'detached' });
});

test('menu commands pushed by main drive the UI', async () => {
  await page.goto(lab.url);
  await page.locator('button.new-entry').waitFor();
  const push = (command: string, path?: string) =>
    lab.services.events.emit('menu.command', { command, ...(path ? { path } : {}) } as never);
  // The event socket connects shortly after load: repeat the first command until it lands.
  const heading = page.getByRole('heading', { name: 'New simulation' });
  for (let i = 0; i < 50 && !(await heading.isVisible()); i++) {
    push('new-simulation');
    await page.waitForTimeout(100);
  }
  await heading.waitFor();

  // The desktop menu picks the dump first: the import form opens with its path.
  push('import-trace', '/var/tmp/picked.bin');
  await page.getByRole('heading', { name: 'Import a xentrace dump' }).waitFor();
  assert.equal(await page.locator('input.trace-path').inputValue(), '/var/tmp/picked.bin');

  push('about');
  const about = page.getByRole('dialog', { name: 'About Xen PI Lab' });
  await about.waitFor();
  assert.ok((await about.innerText()).includes(lab.dbPath));
  await about.getByRole('button', { name: 'Close' }).click();

  // Export without a path: a Markdown file of the notebook is downloaded.
  await page.locator('button.new-entry').click();
  await page.locator('input[name="new-title"]').fill('exported entry');
  await page.locator('button.create-submit').click();
  await page.locator('h1.exp-title', { hasText: 'exported entry' }).waitFor();
  const download = page.waitForEvent('download');
  push('export-notebook');
  const d = await download;
  assert.match(d.suggestedFilename(), /^xen-pi-lab-notebook-.*\.md$/);
  assert.match(readFileSync(await d.path(), 'utf8'), /## exported entry \(#\d+, simulation\)/);

  // Export with a path (main wrote the copy): a confirmation names it.
  push('export-notebook', '/var/tmp/copy.db');
  await page.locator('.info-toast', { hasText: '/var/tmp/copy.db' }).waitFor();
});
