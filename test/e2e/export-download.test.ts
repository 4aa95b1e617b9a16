/**
 * Exports in the browser host download through the browser (issue 12 item 9): the report as one
 * Markdown file with its three charts embedded, the run as JSON, Perfetto and Parquet (zip), the
 * notebook as its SQLite file;
 * nothing is asked of the lab's file system. The report's heatmap is the Run view's (pCPU 0 at
 * the top, the app's saturated colour scale), and raw HTML in the notes is escaped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import MarkdownIt from 'markdown-it';
import { artifactPath, useLabPage } from './harness';
import { api, SMALL_RUN, runJob } from './page-api';
import { shoot } from './views';
import { isPng } from '../../main/notebook/report';
import type { SimParamsInput } from '../../shared/params';

const ui = useLabPage({ width: 1600, height: 1000 }, { consoleErrors: true });

/** Every vCPU on pCPU 0 (16 pCPUs): only the heatmap's top row has lists, over the bound. */
const PCPU0: SimParamsInput = {
  ...SMALL_RUN,
  workload: { pcpus: 16, domains: 40, vcpusPerDomain: 4, placement: 'pcpu0', durationNs: 5e7 },
  policy: { policy: 'upstream', K: 4 },
};
const NOTES = [
  '# Finding',
  '',
  'The list on pCPU 0 **grows**. <script>alert("x")</script> and <img src=x onerror=alert(1)>',
  '',
  'Inline code keeps `<b>` as is.',
].join('\n');

async function openExport(item: string) {
  await ui.page.locator('.exp-head [data-testid=export-menu-button]').click();
  await ui.page.locator(`.exp-head [data-testid=export-${item}]`).click();
  const form = ui.page.locator('.exp-head [data-testid=export-form]');
  await form.waitFor();
  return form;
}

test('report, JSON and notebook download in the browser host', async () => {
  await ui.page.goto(ui.lab.url);
  await ui.page.waitForLoadState('networkidle');
  const id = await runJob(ui.page, 'sim.start', { title: 'pcpu0 pile', params: PCPU0 });
  await api(ui.page, 'experiments.update', { id, notes: NOTES });
  await ui.page.goto(`${ui.lab.url.replace(/#.*$/, '')}#/experiment/${id}/run`);
  await ui.page.locator('[data-testid=chart-heatmap][data-painted="1"]').waitFor();

  // The report: one Markdown file, downloaded.
  const form = await openExport('report');
  assert.equal(await form.getByRole('button', { name: 'Browse…' }).count(), 0);
  const pending = ui.page.waitForEvent('download', { timeout: 60_000 });
  await form.getByTestId('export-download').click();
  const dl = await pending;
  assert.match(dl.suggestedFilename(), new RegExp(`^report-${id}-pcpu0-pile\\.md$`));
  const md = readFileSync((await dl.path())!, 'utf8');
  await form
    .getByTestId('export-message')
    .filter({ hasText: /Downloaded report-.*3 chart\(s\) embedded/ })
    .waitFor();
  writeFileSync(artifactPath('report-download.md'), md);

  const images = [...md.matchAll(/!\[([^\]]+)\]\(data:image\/png;base64,([A-Za-z0-9+/=]+)\)/g)];
  assert.equal(images.length, 3, 'three charts embedded');
  for (const [, title, b64] of images) {
    const bytes = Buffer.from(b64, 'base64');
    assert.ok(isPng(bytes) && bytes.length > 5000, `${title}: a PNG with content`);
  }
  // Raw HTML in the notes is text, as in the app; code spans are left as they are.
  assert.ok(!/<script>|<img /.test(md), 'no raw HTML tag in report.md');
  assert.match(md, /&lt;script>alert\("x"\)&lt;\/script>/);
  assert.match(md, /Inline code keeps `<b>` as is\./);
  assert.match(md, /^## Finding$/m);

  // The heatmap: pCPU 0 at the top, drawn with the app's saturated ramps (not near-white).
  const heat = images.find(([, t]) => /List length/.test(t))![2];
  const rows = await ui.page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const cv = document.createElement('canvas');
    cv.width = img.width;
    cv.height = img.height;
    const ctx = cv.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, cv.width, cv.height).data;
    const scale = cv.width / 1000; // rendered at 1000 px wide, pixelRatio 1.5
    const x0 = Math.round(80 * scale);
    const x1 = Math.round((1000 - 125) * scale); // left of the colour bar
    let top = -1;
    let bottom = -1;
    let saturated = 0;
    for (let y = 0; y < cv.height; y++)
      for (let x = x0; x < x1; x++) {
        const i = (y * cv.width + x) * 4;
        const [r, g, b] = [d[i], d[i + 1], d[i + 2]];
        const sat = Math.max(r, g, b) - Math.min(r, g, b);
        if (sat < 90) continue;
        saturated++;
        if (top < 0) top = y;
        bottom = y;
      }
    return { top: top / scale, bottom: bottom / scale, saturated, h: cv.height / scale };
  }, heat);
  assert.ok(rows.saturated > 5000, `saturated heatmap pixels: ${rows.saturated}`);
  assert.ok(rows.top < 80, `the painted row is at the top (y ${rows.top})`);
  assert.ok(rows.bottom - rows.top < rows.h / 8, `only pCPU 0's row: ${rows.top}..${rows.bottom}`);
  await form.getByRole('button', { name: 'Close' }).click();

  // The run as JSON.
  const jform = await openExport('json');
  const pj = ui.page.waitForEvent('download');
  await jform.getByTestId('export-download').click();
  const j = await pj;
  assert.match(j.suggestedFilename(), /^run-\d+-pcpu0-pile\.json$/);
  const run = JSON.parse(readFileSync((await j.path())!, 'utf8'));
  assert.equal(run.experiment.id, id);
  assert.ok(run.summary.maxListLength > 100);
  await jform.getByRole('button', { name: 'Close' }).click();

  // The run as a Perfetto trace, and its Parquet tables as one zip (issue 13's exports).
  const pform = await openExport('perfetto');
  const pp = ui.page.waitForEvent('download');
  await pform.getByTestId('export-download').click();
  const p = await pp;
  assert.equal(p.suggestedFilename(), `run-${id}.perfetto.json`);
  const trace = JSON.parse(readFileSync((await p.path())!, 'utf8'));
  assert.ok(trace.traceEvents.length > 0);
  assert.equal(trace.otherData.experimentId, id);
  await pform.getByRole('button', { name: 'Close' }).click();
  const qform = await openExport('parquet');
  const pq = ui.page.waitForEvent('download');
  await qform.getByTestId('export-download').click();
  const q = await pq;
  assert.equal(q.suggestedFilename(), `run-${id}-parquet.zip`);
  const listing = execFileSync('unzip', ['-l', (await q.path())!], { encoding: 'utf8' });
  for (const table of ['pcpu_lengths', 'timeline', 'walk_histogram', 'pcpu_summary', 'summary'])
    assert.match(listing, new RegExp(`\\b${table}\\.parquet\\b`));
  await qform.getByRole('button', { name: 'Close' }).click();

  // The notebook: its SQLite file.
  const nform = await openExport('notebook-export');
  const pn = ui.page.waitForEvent('download');
  await nform.getByTestId('export-download').click();
  const n = await pn;
  assert.match(n.suggestedFilename(), /^xen-pi-lab-notebook-.*\.db$/);
  const head = readFileSync((await n.path())!)
    .subarray(0, 16)
    .toString('latin1');
  assert.equal(head, 'SQLite format 3\0');
  await nform.getByRole('button', { name: 'Close' }).click();

  // The report as its reader sees it (a Markdown viewer, light and dark).
  const html = new MarkdownIt({ html: false }).render(md);
  const viewer = await ui.browser.newPage();
  await viewer.setContent(
    `<!doctype html><meta charset="utf-8"><style>
      :root { color-scheme: light dark; }
      body { font: 14px/1.5 system-ui, sans-serif; max-width: 1040px; margin: 16px auto; padding: 0 16px; }
      @media (prefers-color-scheme: dark) { body { background: #0d1117; color: #e6edf3; } }
      table { border-collapse: collapse; } td, th { border: 1px solid #8888; padding: 2px 6px; }
      img { max-width: 100%; background: #fff; }
    </style><body>${html}</body>`,
  );
  await shoot(viewer, 'report-download', () => viewer.locator('img').last().waitFor(), {
    scrollTo: () => viewer.locator('h2', { hasText: 'Charts' }),
  });
  for (const [i, name] of ['heatmap', 'h-bound', 'walks'].entries())
    await viewer
      .locator('img')
      .nth(i)
      .screenshot({ path: artifactPath(`report-download-${name}.png`) });
  await viewer.close();
  assert.deepEqual(ui.pageErrors, []);
});
