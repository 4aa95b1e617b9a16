/**
 * Helpers of the issue-12 e2e tests: importing a fixture dump through the API, and the four
 * screenshots (light and dark, 1600x1000 and 1280x800) every changed screen gets.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT, artifactPath } from './harness';
import { api } from './page-api';

/** Imports `test/fixtures/traces/<file>` with `trace.import` and waits for its experiment id. */
export async function importDump(p: Page, file: string, title: string): Promise<number> {
  const path = join(ROOT, 'test/fixtures/traces', file);
  const { jobId } = await api<{ jobId: string }>(p, 'trace.import', { path, title });
  for (;;) {
    const jobs = await api<{ jobId: string; state: string; experimentId: number | null }[]>(
      p,
      'jobs.list',
      {},
    );
    const j = jobs.find((x) => x.jobId === jobId)!;
    if (j.state === 'done') return j.experimentId!;
    assert.equal(j.state, 'running', `import ${file}: ${j.state}`);
    await p.waitForTimeout(100);
  }
}

export const SIZES = [
  [1600, 1000],
  [1280, 800],
] as const;

/**
 * Screenshots `<name>-<light|dark>-<W>x<H>.png`; `each` runs before every shot (scroll into
 * view, checks that must hold at every size and scheme). Leaves the page light at 1600x1000.
 */
export async function shootLightDark(
  p: Page,
  name: string,
  each: (w: number, scheme: 'light' | 'dark') => Promise<void> = async () => {},
): Promise<void> {
  for (const [w, h] of SIZES) {
    await p.setViewportSize({ width: w, height: h });
    for (const scheme of ['light', 'dark'] as const) {
      await p.emulateMedia({ colorScheme: scheme });
      await p.waitForTimeout(150);
      await each(w, scheme);
      await p.screenshot({ path: artifactPath(`${name}-${scheme}-${w}x${h}.png`) });
    }
  }
  await p.emulateMedia({ colorScheme: 'light' });
  await p.setViewportSize({ width: 1600, height: 1000 });
}
