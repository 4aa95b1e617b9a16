/**
 * Annotations beside the Run view's charts: add one at the cursor (time and selected pCPU), see
 * it listed and drawn on the time charts in the accent colour, move the cursor away, click the
 * annotation and see the cursor return; delete it and see it go from the list and the charts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { artifactPath, useLabPage } from './harness';
import { accentPixelsAt, api, pollUntil, GRID_LEFT, GRID_RIGHT, runSimulation } from './page-api';
import type { Annotation } from '../../shared/model';
import type { SimParamsInput } from '../../shared/params';

const PARAMS: SimParamsInput = {
  workload: {
    pcpus: 8,
    domains: 10,
    vcpusPerDomain: 4,
    placement: 'random',
    durationNs: 1e8,
  },
  policy: { policy: 'series', K: 1 },
  buckets: 256,
  seed: 3,
};

const ui = useLabPage({ width: 1400, height: 1100 });

const cursorOf = async () =>
  (await ui.page.locator('[data-testid=run-view]').getAttribute('data-cursor')) ?? '';

/**
 * Waits (generously) until the accent column at `tNs` passes `ok` on both time charts; returns
 * the accent pixels found there per chart.
 */
async function waitAccent(
  tNs: number,
  ok: (at: number, away: number, id: string) => boolean,
  what: string,
): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  const [t0, t1] = (await ui.page.locator('[data-testid=run-view]').getAttribute('data-range'))!
    .split(':')
    .map(Number);
  for (const id of ['chart-system', 'chart-toplists']) {
    const { at, away } = await pollUntil(
      async () => ({
        at: await accentPixelsAt(ui.page, id, tNs, t0, t1),
        away: await accentPixelsAt(ui.page, id, t0 + (t1 - t0) * 0.85, t0, t1),
      }),
      (r) => ok(r.at, r.away, id),
    );
    assert.ok(
      ok(at, away, id),
      `${id}: ${what} (${at} accent pixels at the annotation, ${away} away)`,
    );
    found[id] = at;
  }
  return found;
}

test('Run view annotations: add at the cursor, listed, drawn, click jumps back, delete', async () => {
  await ui.page.goto(ui.lab.url);
  await ui.page.waitForLoadState('networkidle');
  const id = await runSimulation(ui.page, PARAMS, 'e2e run annotations');
  await ui.page.goto(`${ui.lab.url.replace(/#.*$/, '')}#/experiment/${id}/run`);
  await ui.page.locator(`[data-testid=run-view][data-experiment="${id}"]`).waitFor();
  for (const c of ['chart-heatmap', 'chart-system', 'chart-toplists'])
    await ui.page.locator(`[data-testid=${c}][data-painted="1"]`).waitFor();
  const panel = ui.page.getByTestId('run-annotations');
  await panel.waitFor();
  assert.equal(await panel.getAttribute('data-count'), '0');
  assert.ok(await ui.page.getByTestId('run-annotation-add').isDisabled(), 'no cursor: no add');

  // A click on the heatmap places the cursor and selects the pCPU under the mouse.
  const hm = (await ui.page.locator('[data-testid=chart-heatmap] .echart-canvas').boundingBox())!;
  const hmW = hm.width - GRID_LEFT - GRID_RIGHT;
  await ui.page.mouse.move(hm.x + GRID_LEFT + hmW * 0.3, hm.y + hm.height / 2);
  await ui.page.mouse.click(hm.x + GRID_LEFT + hmW * 0.3, hm.y + hm.height / 2);
  await ui.page.waitForFunction(
    () => (document.querySelector('[data-testid=run-view]') as HTMLElement).dataset.cursor !== '',
  );
  const tNs = Number(await cursorOf());
  assert.ok(tNs > 2e7 && tNs < 4e7, `cursor near 30 % of 100 ms: ${tNs}`);
  const at = ui.page.getByTestId('run-annotation-at');
  await at.filter({ hasText: /pCPU \d+/ }).waitFor();
  const pcpu = Number(/pCPU (\d+)/.exec(await at.innerText())![1]);

  await ui.page.getByTestId('run-annotation-text').fill('wakeup storm starts');
  await ui.page.getByTestId('run-annotation-add').click();
  const row = ui.page.getByTestId('run-annotation').filter({ hasText: 'wakeup storm starts' });
  await row.waitFor();
  assert.equal(await panel.getAttribute('data-count'), '1');
  assert.match(await row.innerText(), new RegExp(`pCPU ${pcpu}`));
  const saved = await api<Annotation[]>(ui.page, 'annotations.list', { experimentId: id });
  assert.deepEqual(
    saved.map((a) => [a.tNs, a.pcpu, a.text]),
    [[tNs, pcpu, 'wakeup storm starts']],
  );

  // Drawn at once on the time charts, in the accent colour, at its time.
  const drawn = await waitAccent(tNs, (a, away) => a > 40 && a > away + 30, 'annotation drawn');

  // Move the cursor elsewhere, then click the annotation: the cursor returns to it.
  const sys = (await ui.page.locator('[data-testid=chart-system] .echart-canvas').boundingBox())!;
  await ui.page.mouse.click(
    sys.x + GRID_LEFT + (sys.width - GRID_LEFT - GRID_RIGHT) * 0.75,
    sys.y + 120,
  );
  await ui.page.waitForFunction(
    (t) => (document.querySelector('[data-testid=run-view]') as HTMLElement).dataset.cursor !== t,
    String(tNs),
  );
  assert.ok(Number(await cursorOf()) > 6e7, 'the cursor moved away');
  await row.locator('.ra-jump').click();
  await ui.page.locator(`[data-testid=run-view][data-cursor="${tNs}"]`).waitFor();
  await ui.page.locator('[data-testid=run-annotation].active').waitFor();
  await ui.page.screenshot({ path: artifactPath('run-view-annotations.png'), fullPage: false });

  // Delete (after confirming): gone from the list, the store and the charts.
  await row.locator('.ra-delete').click();
  await ui.page.locator('.confirm-ok').click();
  await ui.page.waitForFunction(
    () => document.querySelectorAll('[data-testid=run-annotation]').length === 0,
  );
  assert.deepEqual(await api<Annotation[]>(ui.page, 'annotations.list', { experimentId: id }), []);
  // (The top-N chart's first line shares the accent colour: compare with what was drawn.)
  await waitAccent(tNs, (a, _away, c) => a < drawn[c] / 2, 'annotation line gone');

  // The panel folds away to a narrow strip (and the charts take the room).
  const wide = (await ui.page.locator('[data-testid=chart-system]').boundingBox())!.width;
  await panel.locator('.ra-toggle').click();
  assert.equal(await panel.locator('.ra-toggle').getAttribute('aria-expanded'), 'false');
  assert.equal(await ui.page.getByTestId('run-annotation-text').count(), 0);
  await ui.page.waitForFunction(
    (w) => document.querySelector('[data-testid=chart-system]')!.getBoundingClientRect().width > w,
    wide,
  );
  await ui.page.screenshot({ path: artifactPath('run-view-annotations-folded.png') });

  assert.deepEqual(ui.pageErrors, []);
});
