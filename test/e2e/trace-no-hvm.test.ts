/**
 * A dump with no HVM domain (issue 12 item 3) and the summary cards (item 7), in Chromium: the
 * Run view says there is no HVM domain (so no PI list), gives the dump's true span (3.70 s, not
 * the "span 1 ns" of an empty time axis) and what to do (`--pi-domains`, dom0 is PV); the "bound
 * then" card shows no 0 beside the chart's bound; no card's sub-line is cut, and counts are
 * pluralised. Screenshots light and dark at 1600x1000 and 1280x800.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { artifactPath, useLabPage } from './harness';
import { importDump, shootLightDark } from './lab-helpers';

const ui = useLabPage({ width: 1600, height: 1000 }, { consoleErrors: true });

/** Cards whose sub-line or value is cut (content wider or taller than its box). */
async function cutCards(p: Page): Promise<string[]> {
  return p.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-card] .card-sub')]
      .filter((e) => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)
      .map((e) => `${e.closest<HTMLElement>('[data-card]')!.dataset.card}: ${e.innerText}`),
  );
}

test('no HVM domain: plain words, the true span, what to do; cards neither contradict nor cut', async () => {
  await ui.page.goto(ui.lab.url);
  const id = await importDump(ui.page, 'dom0-sched.bin', 'e2e dom0 only');
  await ui.page.goto(`${ui.lab.url}#/experiment/${id}/run`);
  const banner = ui.page.locator('[data-testid="no-hvm-banner"]');
  await banner.waitFor();
  const text = await banner.innerText();
  assert.match(text, /No HVM domain in this dump, so no PI blocking list/);
  assert.match(text, /domain 0, which ran PV/);
  assert.match(text, /--pi-domains/);
  // xentrace's first to last TSC at the estimated cpu_hz: 3.7 s (the CLI's durationNs).
  assert.match(await ui.page.locator('[data-testid="dump-span"]').innerText(), /3\.70? s/);
  const nav = await ui.page.locator('[data-testid="run-nav"] .nav-info').innerText();
  assert.match(nav, /dump spans 3\.70? s/);
  assert.doesNotMatch(nav, /span 1 ns/);

  // "bound then" has no then: no list ever held a vCPU.
  const bound = ui.page.locator('[data-card="bound-at-max"]');
  assert.equal(await bound.locator('.card-value').innerText(), '—');
  assert.match(await bound.locator('.card-sub').innerText(), /no list ever held a vCPU/);
  assert.match(await ui.page.locator('[data-card="h"] .card-sub').innerText(), /^at the end;/);

  await shootLightDark(ui.page, 'no-hvm', async (w, scheme) =>
    assert.deepEqual(await cutCards(ui.page), [], `${w} ${scheme}`),
  );
  assert.deepEqual(ui.pageErrors, []);
});

test('cards of a trace with HVM guests: pluralised, nothing cut at 1280 px', async () => {
  const id = await importDump(ui.page, 'pvh-sched.bin', 'e2e pvh guests');
  await ui.page.setViewportSize({ width: 1280, height: 800 });
  await ui.page.goto(`${ui.lab.url}#/experiment/${id}/run`);
  await ui.page.locator('[data-testid="summary-cards"]').waitFor();
  assert.equal(await ui.page.locator('[data-testid="no-hvm-banner"]').count(), 0);
  const hSub = await ui.page.locator('[data-card="h"] .card-sub').innerText();
  assert.doesNotMatch(hSub, /\b1 (domains|vCPUs)\b/);
  assert.match(hSub, /ever created in \d+ domains?/);
  const all = await ui.page.locator('[data-testid="summary-cards"]').innerText();
  assert.doesNotMatch(all, /\b1 (records|domains|vCPUs|bound overflows)\b/);
  assert.deepEqual(await cutCards(ui.page), []);
  await ui.page.screenshot({ path: artifactPath('cards-pvh-1280x800.png') });
  await ui.page.setViewportSize({ width: 1600, height: 1000 });
  assert.deepEqual(ui.pageErrors, []);
});
