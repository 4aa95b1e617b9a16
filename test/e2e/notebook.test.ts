/**
 * The notebook end to end (issue 2): create an experiment, rename it, tag it, write a Markdown
 * note (live preview), add an annotation, reload and see it all persisted, delete it with the
 * confirmation dialog. Real service layer + browser host + Debian chromium.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { artifactPath, useLabPage } from './harness';

const ui = useLabPage({ width: 1400, height: 900 }, { consoleErrors: true });

test('notebook: create, rename, tag, note, annotate, reload, delete', async () => {
  await ui.page.goto(ui.lab.url);

  // Empty state with a call to action.
  await ui.page.getByRole('heading', { name: 'No experiments yet' }).waitFor();
  await ui.page.screenshot({ path: artifactPath('notebook-empty.png') });

  // Create (title, kind).
  await ui.page.locator('button.new-entry').click();
  await ui.page.locator('input[name="new-title"]').fill('seed worst case notes');
  await ui.page.locator('select[name="new-kind"]').selectOption('simulation');
  await ui.page.locator('button.create-submit').click();
  const item = ui.page.locator('.nb-item', { hasText: 'seed worst case notes' });
  await item.first().waitFor();
  await ui.page.locator('h1.exp-title', { hasText: 'seed worst case notes' }).waitFor();

  // Rename.
  await ui.page.locator('button.rename-btn').click();
  await ui.page.locator('input.title-input').fill('Seed worst case: pCPU 0');
  await ui.page.locator('input.title-input').press('Enter');
  await ui.page.locator('h1.exp-title', { hasText: 'Seed worst case: pCPU 0' }).waitFor();

  // Tags: add two, remove one.
  const tagInput = ui.page.locator('.exp-head input.tag-input');
  await tagInput.fill('worst-case');
  await tagInput.press('Enter');
  await ui.page.locator('.exp-head .tag[data-tag="worst-case"]').waitFor();
  await tagInput.fill('scratch');
  await tagInput.press('Enter');
  await ui.page.locator('.exp-head .tag[data-tag="scratch"]').waitFor();
  await ui.page.getByRole('button', { name: 'Remove tag scratch' }).first().click();
  await ui.page.locator('.exp-head .tag[data-tag="scratch"]').waitFor({ state: 'detached' });

  // Notes with live preview (Markdown, raw HTML escaped), saved with Ctrl+S.
  await ui.page.locator('.tabs button[data-tab="notes"]').click();
  const editor = ui.page.locator('textarea.notes-editor');
  await editor.waitFor();
  await editor.fill(
    '# Finding\n\npCPU 0 holds **4,194,304** entries under `upstream`.\n\n<script>alert(1)</script>\n',
  );
  await ui.page.locator('.notes-preview h1', { hasText: 'Finding' }).waitFor();
  assert.equal(await ui.page.locator('.notes-preview strong').textContent(), '4,194,304');
  assert.equal(
    await ui.page.locator('.notes-preview script').count(),
    0,
    'raw HTML is not rendered',
  );
  await editor.press('Control+s');
  await ui.page.locator('[data-testid="notes-state"]', { hasText: 'saved' }).waitFor();
  await ui.page.waitForFunction(
    () => !document.querySelector('[data-testid="notes-state"]')?.textContent?.includes('unsaved'),
  );

  // An annotation; a bad vCPU is rejected inline first.
  await ui.page.getByLabel('Annotation time').fill('12.5');
  await ui.page.getByLabel('Annotation pCPU').fill('0');
  await ui.page.getByLabel('Annotation vCPU').fill('banana');
  await ui.page.getByLabel('Annotation text').fill('pCPU 0 list passes the bound');
  await ui.page.locator('button.add-annotation-btn').click();
  await ui.page.locator('.add-annotation .field-error', { hasText: 'd<dom>v<vcpu>' }).waitFor();
  await ui.page.getByLabel('Annotation vCPU').fill('d3v1');
  await ui.page.locator('button.add-annotation-btn').click();
  await ui.page.locator('tr.annotation-row', { hasText: 'pCPU 0 list passes the bound' }).waitFor();
  assert.match(
    await ui.page.locator('tr.annotation-row').first().innerText(),
    /12\.5 ms[\s\S]*d3v1/,
  );

  // Search finds it by a word of its notes.
  await ui.page.locator('#notebook-search').fill('4,194,304');
  await ui.page.locator('.nb-item', { hasText: 'Seed worst case: pCPU 0' }).first().waitFor();
  await ui.page.locator('#notebook-search').fill('no-such-word-anywhere');
  await ui.page.locator('.nb-empty', { hasText: 'No experiment matches' }).waitFor();
  await ui.page.locator('#notebook-search').fill('');
  await ui.page.locator('.nb-item', { hasText: 'Seed worst case: pCPU 0' }).first().waitFor();

  // Reload: everything persisted (and the same experiment and tab reopen from the URL).
  await ui.page.reload();
  await ui.page.locator('h1.exp-title', { hasText: 'Seed worst case: pCPU 0' }).waitFor();
  await ui.page.locator('.nb-group .group-head', { hasText: '#worst-case' }).waitFor();
  await ui.page.locator('.tabs button[data-tab="notes"]').click();
  await ui.page.locator('.notes-preview strong', { hasText: '4,194,304' }).waitFor();
  assert.match(await ui.page.locator('textarea.notes-editor').inputValue(), /# Finding/);
  await ui.page.locator('tr.annotation-row', { hasText: 'pCPU 0 list passes the bound' }).waitFor();
  assert.deepEqual(
    await ui.page
      .locator('.exp-head .tag')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-tag'))),
    ['worst-case'],
  );
  await ui.page.screenshot({ path: artifactPath('notebook.png') });

  // A tag the schema refuses (over 64 characters) is refused inline with the reason.
  await ui.page.locator('.exp-head input.tag-input').fill('x'.repeat(70));
  await ui.page.locator('.exp-head input.tag-input').press('Enter');
  await ui.page.locator('.tag-editor .field-error').first().waitFor();

  // Delete: from the keyboard in the list, cancelled with Escape (nothing happens)...
  await ui.page.locator('.nb-list').focus();
  await ui.page.keyboard.press('Delete');
  await ui.page.locator('.confirm-dialog', { hasText: 'Seed worst case: pCPU 0' }).waitFor();
  await ui.page.keyboard.press('Escape');
  await ui.page.locator('.confirm-dialog').waitFor({ state: 'detached' });
  // ... from the header, cancelled with the button, then confirmed.
  await ui.page.locator('button.delete-btn').click();
  await ui.page.locator('.confirm-dialog').waitFor();
  await ui.page.locator('button.confirm-cancel').click();
  await ui.page.locator('.confirm-dialog').waitFor({ state: 'detached' });
  assert.equal(
    await ui.page.locator('.nb-item', { hasText: 'Seed worst case: pCPU 0' }).count(),
    1,
  );
  await ui.page.locator('button.delete-btn').click();
  await ui.page.locator('.confirm-dialog', { hasText: 'Delete experiment' }).waitFor();
  await ui.page.screenshot({ path: artifactPath('notebook-delete-confirm.png') });
  await ui.page.locator('button.confirm-ok').click();
  await ui.page.getByRole('heading', { name: 'No experiments yet' }).waitFor();
  assert.equal(await ui.page.locator('.nb-item').count(), 0);

  // Gone from the store too, after a reload.
  await ui.page.reload();
  await ui.page.getByRole('heading', { name: 'No experiments yet' }).waitFor();
  assert.deepEqual(ui.pageErrors, []);
});

test('notebook: API errors are shown with code and details', async () => {
  await ui.page.goto(ui.lab.url);
  await ui.page.locator('button.new-entry').waitFor();
  // Opening an experiment that does not exist: the store answers not-found.
  await ui.page.goto(ui.lab.url.replace(/#.*$/, '') + '#/experiment/999999/run');
  await ui.page.reload();
  const toast = ui.page.locator('.error-toast').first();
  await toast.waitFor();
  assert.match(await toast.innerText(), /not-found/);
  await toast.getByRole('button', { name: 'Dismiss error' }).click();
  await ui.page.locator('.error-toast').first().waitFor({ state: 'detached' });
});

test('menu commands pushed by main drive the UI', async () => {
  await ui.page.goto(ui.lab.url);
  await ui.page.locator('button.new-entry').waitFor();
  const push = (command: string, path?: string) =>
    ui.lab.services.events.emit('menu.command', { command, ...(path ? { path } : {}) } as never);
  // Pushes reach the page once its event socket is open: wait for that, not for a retry count.
  await ui.page.locator('html[data-events="open"]').waitFor({ timeout: 120_000 });
  push('new-simulation');
  await ui.page.getByRole('heading', { name: 'New simulation' }).waitFor();

  // The desktop menu picks the dump first: the import form opens with its path.
  push('import-trace', '/var/tmp/picked.bin');
  await ui.page.getByRole('heading', { name: 'Import a xentrace dump' }).waitFor();
  assert.equal(await ui.page.locator('input.trace-path').inputValue(), '/var/tmp/picked.bin');

  push('about');
  const about = ui.page.getByRole('dialog', { name: 'About Xen PI Lab' });
  await about.waitFor();
  assert.ok((await about.innerText()).includes(ui.lab.dbPath));
  await about.getByRole('button', { name: 'Close' }).click();

  // Export without a path: a Markdown file of the notebook is downloaded.
  await ui.page.locator('button.new-entry').click();
  await ui.page.locator('input[name="new-title"]').fill('exported entry');
  await ui.page.locator('button.create-submit').click();
  await ui.page.locator('h1.exp-title', { hasText: 'exported entry' }).waitFor();
  const download = ui.page.waitForEvent('download');
  push('export-notebook');
  const d = await download;
  assert.match(d.suggestedFilename(), /^xen-pi-lab-notebook-.*\.md$/);
  assert.match(readFileSync(await d.path(), 'utf8'), /## exported entry \(#\d+, simulation\)/);

  // Export with a path (main wrote the copy): a confirmation names it.
  push('export-notebook', '/var/tmp/copy.db');
  await ui.page.locator('.info-toast', { hasText: '/var/tmp/copy.db' }).waitFor();
});
