/**
 * A saved K recommendation in the app (issue 14 item 2): `recommend --save` run against the lab's
 * notebook, then its entry opened: the answer, the near miss, the Pareto front chart with the
 * chosen point drawn in the danger colour, the per-point table, and the link to its sweep group.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { useLabPage } from './harness';
import { canvasStats } from './page-api';
import { shootLightDark } from './lab-helpers';
import { main } from '../../main/cli/index';
import type { RecommendAnswer } from '../../shared/recommend';
import type { SimParamsInput } from '../../shared/params';

const ui = useLabPage({ width: 1600, height: 1000 });

const SMALL: SimParamsInput = {
  workload: { pcpus: 4, domains: 6, vcpusPerDomain: 4, placement: 'random', durationNs: 2e7 },
  policy: { policy: 'series' },
  buckets: 16,
};

test('Recommendation entry: answer, front chart with the chosen point, table, sweep link', async () => {
  const config = join(dirname(ui.lab.dbPath), 'small.json');
  writeFileSync(config, JSON.stringify(SMALL));
  let out = '';
  const code = await main(
    [
      '--db',
      ui.lab.dbPath,
      'recommend',
      '--config',
      config,
      '--K',
      '0,1,2',
      '--target',
      'maxListLength<=8',
      '--target',
      'remoteFraction<=0.3',
      '--save',
      '--json',
    ],
    { stdout: (s) => void (out += s), stderr: () => {} },
  );
  assert.equal(code, 0, out);
  const a = JSON.parse(out) as RecommendAnswer;
  assert.ok(a.chosen && a.experimentId, out.slice(0, 300));

  await ui.page.goto(`${ui.lab.url.replace(/#.*$/, '')}#/experiment/${a.experimentId}/setup`);
  const panel = ui.page.locator('[data-testid=recommendation]');
  await panel.waitFor();
  assert.equal(await panel.getAttribute('data-chosen'), `${a.chosen.K} ${a.chosen.policy}`);
  assert.match(
    await panel.locator('[data-testid=recommendation-answer]').innerText(),
    new RegExp(
      `K = ${a.chosen.K} with ${a.chosen.policy} is the smallest K meeting maxListLength<=8 and remoteFraction<=0.3 on all 3 seed\\(s\\)`,
    ),
  );
  for (const n of a.nearMisses)
    await panel
      .locator('[data-testid=near-misses] li', {
        hasText: `K = ${n.K} ${n.policy} passes on ${n.passedSeeds} of ${n.seeds} seeds only`,
      })
      .waitFor();
  const rows = panel.locator('[data-testid=recommend-points] tbody tr');
  assert.equal(await rows.count(), a.points.length);
  const chosenRow = panel.locator(`tr.chosen[data-point="${a.chosen.K} ${a.chosen.policy}"]`);
  assert.equal(await chosenRow.count(), 1);

  await ui.page.locator('[data-testid=chart-recommend-front][data-painted="1"]').waitFor();
  const chart = await canvasStats(ui.page, 'chart-recommend-front', '--danger');
  assert.ok(chart.painted > 5_000, `front chart painted pixels: ${chart.painted}`);
  assert.ok(chart.match > 40, `the chosen point in the danger colour: ${chart.match}`);
  const accent = await canvasStats(ui.page, 'chart-recommend-front', '--accent');
  assert.ok(accent.match > 40, `the front line in the accent colour: ${accent.match}`);
  await shootLightDark(ui.page, 'recommendation', async () => {
    await panel.scrollIntoViewIfNeeded();
    await ui.page.locator('[data-testid=chart-recommend-front][data-painted="1"]').waitFor();
  });

  await panel.locator('[data-testid=open-sweep]').click();
  await ui.page.waitForFunction((g) => location.hash === `#/sweep/${g}`, a.groupId);
  assert.deepEqual(ui.pageErrors, []);
});
