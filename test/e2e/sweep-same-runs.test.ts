/**
 * The sweep as a Xen engineer reads it (issue 12 item 10), in Chromium: grid points that are the
 * same run are named before anything runs and can be run once; a sweep whose results are all
 * the same says so; the parallel coordinates have every table metric as an axis. Screenshots
 * light and dark at 1600x1000 and 1280x800.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { artifactPath, useLabPage } from './harness';
import { shootLightDark } from './lab-helpers';
import { METRIC_COLUMNS } from '../../renderer/src/components/notebook/sweep-chart';

const ui = useLabPage({ width: 1600, height: 1000 }, { consoleErrors: true });

test('K x {upstream, series}: upstream is one run, identical results are labelled', async () => {
  const p = ui.page;
  await p.goto(ui.lab.url);
  await p.locator('button.new-sweep').click();
  await p.getByTestId('sweep-view').waitFor();
  await p.locator('[data-testid=sweep-preset] option').first().waitFor({ state: 'attached' });
  // The default grid, K = 0, 4, 16 x {upstream, series}: upstream is one run, on by default.
  const same = p.getByTestId('sweep-same-runs');
  await same.waitFor();
  assert.match(await same.innerText(), /one run for K = 0, 4, 16: upstream does not place by K/);
  assert.equal(await p.getByTestId('sweep-once').isChecked(), true);
  assert.equal(await p.getByTestId('sweep-count').textContent(), '4 runs');
  // A light base where no list reaches the bound.
  await p.getByTestId('sweep-preset').selectOption('skylake-112-8to1');
  await p.getByLabel('axis 1 values').fill('0, 32, 128');
  const text = await same.innerText();
  assert.match(text, /2 of 6 grid points repeat another run/);
  assert.match(text, /one run for K = 0, 32, 128: upstream does not place by K/);
  await p.getByTestId('sweep-once').uncheck();
  assert.equal(await p.getByTestId('sweep-count').textContent(), '6 runs');
  await p.getByTestId('sweep-once').check();
  assert.equal(await p.getByTestId('sweep-count').textContent(), '4 runs');

  await p.getByTestId('sweep-title').fill('e2e once');
  await p.getByTestId('sweep-run').click();
  const results = p.getByTestId('sweep-results');
  await results.filter({ hasText: /4 of 4 runs saved · done/ }).waitFor({ timeout: 180_000 });
  await p.waitForFunction(() => document.querySelectorAll('[data-testid=sweep-row]').length === 4);
  const rows = await p.getByTestId('sweep-row').allInnerTexts();
  // K is marked "(not read)" on the upstream row (a CSS mark beside the value).
  const upRow = p.getByTestId('sweep-row').filter({ hasText: 'upstream' });
  assert.equal(await upRow.locator('td.not-read').count(), 1);
  assert.equal(
    await upRow.locator('td.not-read').evaluate((td) => getComputedStyle(td, '::after').content),
    '" (not read)"',
  );
  assert.equal(rows.filter((r) => /upstream/.test(r)).length, 1, 'upstream ran once');
  // On this light base no list reaches the bound: every result is the same, and it says so.
  await p.getByTestId('sweep-all-same').waitFor();
  assert.equal(await p.locator('[data-testid=sweep-row] td[data-same-as]').count(), 3);
  await p.waitForSelector('[data-testid=sweep-parallel][data-painted="1"]');
  const axes = (await p.getByTestId('sweep-parallel').getAttribute('data-axes'))!.split('|');
  for (const m of METRIC_COLUMNS) assert.ok(axes.includes(m.label), `axis ${m.label}: ${axes}`);
  await p.getByTestId('sweep-results').scrollIntoViewIfNeeded();
  await p.screenshot({ path: artifactPath('sweep-all-same.png') });
  assert.deepEqual(ui.pageErrors, []);
});

test('the default base, where K matters: distinct results, every metric an axis', async () => {
  const p = ui.page;
  await p.goto(ui.lab.url);
  await p.locator('button.new-sweep').click();
  await p.getByTestId('sweep-view').waitFor();
  await p.locator('[data-testid=sweep-preset] option').first().waitFor({ state: 'attached' });
  // The default base and K values; only the series policy.
  assert.equal(await p.getByTestId('sweep-preset').inputValue(), 'domain-churn');
  assert.equal(await p.getByLabel('axis 1 values').inputValue(), '0, 4, 16');
  await p.getByLabel('axis 2 values').fill('series');
  assert.equal(await p.getByTestId('sweep-same-runs').count(), 0);
  await p.getByTestId('sweep-title').fill('e2e K matters');
  await p.getByTestId('sweep-run').click();
  const results = p.getByTestId('sweep-results');
  await results.filter({ hasText: /3 of 3 runs saved · done/ }).waitFor({ timeout: 180_000 });
  await p.waitForSelector('[data-testid=sweep-parallel][data-painted="1"]');
  assert.equal(await p.getByTestId('sweep-all-same').count(), 0);
  assert.equal(await p.locator('[data-testid=sweep-row] td[data-same-as]').count(), 0);
  await shootLightDark(p, 'sweep-parallel', async () => {
    await p.waitForTimeout(100);
    await p.getByTestId('sweep-parallel').scrollIntoViewIfNeeded();
  });
  assert.deepEqual(ui.pageErrors, []);
});
