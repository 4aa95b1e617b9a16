/**
 * Export → Perfetto and Export → Parquet from the experiment header's menu: the files land where
 * asked, the Perfetto file is trace events with one PI list track per pCPU, the Parquet folder
 * holds every table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { artifactPath, useLabPage } from './harness';
import { runSimulation } from './page-api';
import type { SimParamsInput } from '../../shared/params';

const PARAMS: SimParamsInput = {
  workload: { pcpus: 4, domains: 6, vcpusPerDomain: 3, durationNs: 5e7 },
  policy: { policy: 'series', K: 1 },
  buckets: 64,
  seed: 5,
};

const ui = useLabPage({ width: 1400, height: 900 });
const tmp = mkdtempSync(join(tmpdir(), 'xpl-e2e-export-formats-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

test('Export menu writes a Perfetto trace and Parquet tables of the open run', async () => {
  await ui.page.goto(ui.lab.url);
  await ui.page.waitForLoadState('networkidle');
  const id = await runSimulation(ui.page, PARAMS, 'e2e export formats');
  await ui.page.goto(`${ui.lab.url.replace(/#.*$/, '')}#/experiment/${id}/run`);
  await ui.page.locator(`[data-testid=run-view][data-experiment="${id}"]`).waitFor();
  const head = ui.page.locator('.exp-head');

  const trace = join(tmp, 'run.perfetto.json');
  await head.getByTestId('export-menu-button').click();
  await ui.page.screenshot({ path: artifactPath('export-formats-menu.png') });
  await head.getByTestId('export-perfetto').click();
  await head.getByTestId('export-path').fill(trace);
  await head.getByTestId('export-go').click();
  await head
    .getByTestId('export-message')
    .filter({ hasText: `Wrote ${trace}` })
    .waitFor({ timeout: 30_000 });
  const doc = JSON.parse(readFileSync(trace, 'utf8')) as {
    traceEvents: { name: string; ph: string; args?: Record<string, number> }[];
  };
  const tracks = new Set(
    doc.traceEvents
      .filter((e) => e.ph === 'C')
      .flatMap((e) => Object.keys(e.args ?? {}).map((k) => `${e.name} ${k}`)),
  );
  for (let p = 0; p < 4; p++) assert.ok(tracks.has(`pCPU ${p} PI list`), `pCPU ${p}`);
  await head.getByRole('button', { name: 'Close' }).click();

  const folder = join(tmp, 'run-parquet');
  await head.getByTestId('export-menu-button').click();
  await head.getByTestId('export-parquet').click();
  await head.getByTestId('export-path').fill(folder);
  await head.getByTestId('export-go').click();
  await head.getByTestId('export-files').waitFor({ timeout: 30_000 });
  assert.match((await head.getByTestId('export-message').textContent()) ?? '', /Wrote 5 Parquet/);
  await ui.page.screenshot({ path: artifactPath('export-formats-parquet.png') });
  assert.deepEqual(readdirSync(folder).sort(), [
    'pcpu_lengths.parquet',
    'pcpu_summary.parquet',
    'summary.parquet',
    'timeline.parquet',
    'walk_histogram.parquet',
  ]);
  for (const f of readdirSync(folder))
    assert.equal(readFileSync(join(folder, f)).subarray(0, 4).toString(), 'PAR1', f);
});
