/**
 * Which domain's vCPUs sit where (issue 12 item 13), in Chromium: at the cursor, the lists are
 * counted by domain (every list, or the selected pCPU's), the top domains with their share; a
 * domain filter shows the pCPUs holding that domain and filters the pCPU list beside it. The
 * figures are checked against the engine's own lengths and lists.
 */
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import assert from 'node:assert/strict';
import { artifactPath, useLabPage } from './harness';
import { shootLightDark } from './lab-helpers';
import { api, GRID_LEFT, GRID_RIGHT, runSimulation, SMALL_RUN } from './page-api';

const ui = useLabPage({ width: 1600, height: 1000 }, { consoleErrors: true });

/** "Longest list": the cursor's instant, the list lengths there (the engine's) and their sum. */
async function jumpLongest(p: Page, id: number) {
  await p.getByTestId('jump-longest').click();
  await p.waitForFunction(
    () => (document.querySelector('[data-testid=run-view]') as HTMLElement).dataset.cursor !== '',
  );
  const tNs = Number(await p.getByTestId('run-view').getAttribute('data-cursor'));
  const lengths = await api<{ lengths: number[] }>(p, 'run.lengthsAt', { experimentId: id, tNs });
  return { tNs, lengths, sum: lengths.lengths.reduce((a, b) => a + b, 0) };
}

test('domains at the cursor: counts per domain, top domains, per-domain filter', async () => {
  const p = ui.page;
  await p.goto(ui.lab.url);
  const id = await runSimulation(p, SMALL_RUN, 'e2e domains');
  await p.goto(`${ui.lab.url}#/experiment/${id}/run`);
  const box = p.getByTestId('domain-breakdown');
  await box.waitFor();
  assert.match(await box.innerText(), /Click a time chart to place the cursor/);

  // The longest list: cursor and pCPU set; the breakdown counts every list at that instant.
  const { tNs, lengths, sum } = await jumpLongest(p, id);
  await p.locator(`[data-testid=domain-breakdown][data-total="${sum}"]`).waitFor();
  const top = p.getByTestId('domains-top').locator('tr.dom-row');
  assert.ok((await top.count()) >= 2, 'several domains listed');
  const counts = await top.locator('td:nth-child(2)').allInnerTexts();
  const nums = counts.map((c) => Number(c.replace(/,/g, '')));
  assert.deepEqual(
    nums,
    [...nums].sort((a, b) => b - a),
    'largest first',
  );
  assert.equal(nums.reduce((a, b) => a + b, 0) <= sum, true);
  assert.match(
    await p.getByTestId('domains-summary').innerText(),
    /^\d+ entr(y|ies) from \d+ domains?/,
  );
  await p.getByTestId('domain-breakdown').scrollIntoViewIfNeeded();
  await p.screenshot({ path: artifactPath('run-domains-light-1600x1000.png') });

  // Filter by the top domain: the pCPUs holding it, and the list beside filtered to it.
  const dom = Number(await top.first().getAttribute('data-dom'));
  await top.first().click();
  await p.locator(`[data-testid=domain-breakdown][data-dom="${dom}"]`).waitFor();
  const rows = p.getByTestId('domains-pcpus').locator('tr.pcpu-row');
  await rows.first().waitFor();
  assert.equal(await p.getByTestId('list-search').inputValue(), `d${dom}`);
  // Open the first pCPU that holds it: its list shows exactly that domain's entries.
  const pcpu = Number(await rows.first().getAttribute('data-pcpu'));
  const want = Number(
    (await rows.first().locator('td:nth-child(2)').innerText()).replace(/,/g, ''),
  );
  await rows.first().click();
  const list = await api<{ total: number }>(p, 'run.listAt', {
    experimentId: id,
    tNs,
    pcpu,
    search: `d${dom}`,
  });
  assert.equal(list.total, want);
  await p.locator(`[data-testid=pcpu-list][data-pcpu="${pcpu}"][data-total="${want}"]`).waitFor();

  // Scope: the selected pCPU's list only.
  await p.getByRole('button', { name: 'All domains' }).click();
  await p.getByTestId('domains-scope-pcpu').check();
  const own = lengths.lengths[pcpu];
  await p.locator(`[data-testid=domain-breakdown][data-total="${own}"]`).waitFor();

  // A bad domain is refused in words.
  await p.getByTestId('domain-filter').fill('x7');
  await p.getByTestId('domain-filter').press('Enter');
  await box
    .locator('.field-error', { hasText: 'a domain needs an integer id ≥ 0, got "x7"' })
    .waitFor();

  await shootLightDark(p, 'run-domains', async () => {
    await p.getByTestId('domain-breakdown').scrollIntoViewIfNeeded();
  });
  assert.deepEqual(ui.pageErrors, []);
});

test('a big run: no count per cursor step; "Count domains" counts the instant on request', async () => {
  const p = ui.page;
  await p.goto(ui.lab.url);
  // 512,000 vCPUs on 16 pCPUs: over 250,000 entries on the lists at the longest list's instant.
  const id = await runSimulation(
    p,
    {
      workload: {
        pcpus: 16,
        domains: 4000,
        vcpusPerDomain: 128,
        piFraction: 1,
        placement: 'random',
        durationNs: 5e6,
      },
      policy: { policy: 'upstream', K: 1 },
      buckets: 64,
      seed: 1,
    },
    'e2e domains big',
  );
  const counts: string[] = [];
  p.on('request', (r) => {
    if (r.url().endsWith('/api/run.domainsAt')) counts.push(r.postData() ?? '');
  });
  await p.goto(`${ui.lab.url}#/experiment/${id}/run`);
  await p.getByTestId('domain-breakdown').waitFor();
  const { tNs, sum } = await jumpLongest(p, id);
  assert.ok(sum > 250_000, `the lists hold ${sum} entries`);
  const ask = p.getByTestId('domains-on-request');
  await ask.waitFor();
  assert.match(
    await ask.innerText(),
    new RegExp(`${sum.toLocaleString('en-US')} entries on every list`),
  );
  // Rest well past the debounce: still no count was asked for.
  await p.waitForTimeout(600);
  assert.equal(counts.length, 0, 'no domainsAt request before the user asks');

  await p.getByTestId('domains-count').click();
  await p.locator(`[data-testid=domain-breakdown][data-total="${sum}"]`).waitFor();
  assert.equal(counts.length, 1);
  assert.match(await p.getByTestId('domains-summary').innerText(), /entries from [\d,]+ domains/);
  assert.equal(await ask.count(), 0, 'counted for the cursor: no request button');

  // Move the cursor: the counts stay, marked as for the earlier instant, and nothing is counted.
  await p.getByTestId('chart-system').scrollIntoViewIfNeeded();
  const sys = (await p.locator('[data-testid=chart-system] .echart-canvas').boundingBox())!;
  await p.mouse.click(sys.x + GRID_LEFT + (sys.width - GRID_LEFT - GRID_RIGHT) * 0.2, sys.y + 120);
  await p.waitForFunction(
    (t) => (document.querySelector('[data-testid=run-view]') as HTMLElement).dataset.cursor !== t,
    String(tNs),
  );
  await ask.waitFor();
  assert.match(await ask.innerText(), /the counts below are for/);
  await p.waitForTimeout(600);
  assert.equal(counts.length, 1);
  await p.getByTestId('domain-breakdown').scrollIntoViewIfNeeded();
  await p.screenshot({ path: artifactPath('run-domains-on-request.png') });
  assert.deepEqual(ui.pageErrors, []);
});
