import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { deflateSync } from 'node:zlib';
import {
  demoteHeadings,
  escapeRawHtml,
  flattenParams,
  isPng,
  reportMarkdown,
  reportText,
  writeReport,
} from '../../../main/notebook/report';
import { decodeSeries, runJson, runJsonText, writeRunJson } from '../../../main/notebook/run-json';
import { Store } from '../../../main/store/store';
import { sampleRun } from '../store/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'xpl-report-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A real (tiny, valid) PNG: 2x2 RGB. */
function tinyPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const raw = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function notebook() {
  const store = Store.open(join(dir, `nb-${Math.random().toString(36).slice(2)}.db`));
  const run = sampleRun(3);
  run.series['res.tOut'] = new Float64Array([10, Infinity]);
  const id = store.saveRun({
    kind: 'simulation',
    title: 'Which K? series K=64',
    params: {
      preset: 'small',
      workload: { pcpus: 2, domains: 2, vcpusPerDomain: 5, hotplug: [] },
      policy: { policy: 'series', K: 64, pool: null },
      seed: 7,
    },
    seed: 7,
    result: run,
    tags: ['which-k'],
    notes: 'Lists stay under the bound | even at peak.',
    engineVersion: '1.0.0',
  });
  store.addAnnotation({
    experimentId: id,
    tNs: 2_500_000,
    pcpu: 1,
    vcpu: { dom: 2, vcpu: 1 },
    text: 'peak',
  });
  return { store, id };
}

describe('Markdown report', () => {
  it('writes report.md with provenance, parameters, summary, notes, annotations and the PNGs', () => {
    const { store, id } = notebook();
    const png = tinyPng();
    assert.ok(isPng(png));
    const out = join(dir, 'report-a');
    const res = writeReport(store, id, {
      dir: out,
      charts: [
        { name: 'heatmap', title: 'List length heatmap', pngBase64: png.toString('base64') },
        { name: 'walks', pngBase64: png.toString('base64') },
      ],
    });
    assert.equal(res.dir, out);
    assert.deepEqual(res.files, ['report.md', 'heatmap.png', 'walks.png']);
    assert.deepEqual(readdirSync(out).sort(), ['heatmap.png', 'report.md', 'walks.png']);
    assert.ok(isPng(readFileSync(join(out, 'heatmap.png'))));
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    assert.match(md, /^# Which K\? series K=64/);
    assert.match(md, /## Provenance/);
    assert.match(md, /\| engine version \| 1\.0\.0 \|/);
    assert.match(md, /\| seed \| 7 \|/);
    assert.match(md, /\| policy\.K \| 64 \|/);
    assert.match(md, /\| workload\.hotplug \| \[\] \|/);
    assert.match(
      md,
      /\| per wakeup interrupt \| count \| min \| mean \| p50 \| p95 \| p99 \| max \|/,
    );
    assert.match(md, /\| entries walked \| 3 \|/);
    assert.match(md, /!\[List length heatmap\]\(heatmap\.png\)/);
    assert.match(md, /!\[walks\]\(walks\.png\)/);
    assert.match(md, /under the bound \| even/, 'notes verbatim');
    assert.match(md, /\| 2\.500 ms \| 1 \| d2v1 \| peak \|/);
    store.close();
  });

  it('says so when no charts were supplied, and never overwrites a report', () => {
    const { store, id } = notebook();
    const out = join(dir, 'report-b');
    writeReport(store, id, { dir: out });
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    assert.match(md, /No charts were exported/);
    assert.throws(() => writeReport(store, id, { dir: out }), /already holds a report\.md/);
    store.close();
  });

  it('refuses chart bytes that are not PNG and bad names', () => {
    const { store, id } = notebook();
    assert.throws(
      () =>
        writeReport(store, id, {
          dir: join(dir, 'c'),
          charts: [{ name: 'x', pngBase64: 'aGVsbG8=' }],
        }),
      /not a PNG/,
    );
    assert.throws(
      () =>
        writeReport(store, id, { dir: join(dir, 'd'), charts: [{ name: '../x', pngBase64: '' }] }),
      /chart name/,
    );
    assert.ok(!existsSync(join(dir, 'c', 'report.md')));
    store.close();
  });

  it('defaults to a new folder under exports/ beside the notebook', () => {
    const { store, id } = notebook();
    const res = writeReport(store, id);
    assert.equal(dirname(res.dir), join(dirname(store.path), 'exports'));
    assert.ok(existsSync(join(res.dir, 'report.md')));
    store.close();
  });

  it('lays out a report without a result', () => {
    const { store } = notebook();
    const e = store.createExperiment({ kind: 'simulation', title: 'empty' });
    const md = reportMarkdown(e, [], []);
    assert.equal(
      demoteHeadings('# A\ntext\n```\n# not a heading\n```\n## B'),
      '## A\ntext\n```\n# not a heading\n```\n### B',
    );
    assert.match(md, /\(no result yet\)/);
    assert.deepEqual(flattenParams({ a: { b: [1, 2] }, c: 'x' }), [
      ['a.b', '[1,2]'],
      ['c', 'x'],
    ]);
    store.close();
  });
});

describe('run JSON export', () => {
  it('holds provenance, params, summary and every series, exactly round-tripping', () => {
    const { store, id } = notebook();
    const j = runJson(store, id);
    assert.equal(j.format, 'xen-pi-lab/run');
    assert.equal(j.provenance.engineVersion, '1.0.0');
    assert.equal(j.provenance.seed, 7);
    assert.deepEqual(j.summary, store.loadSummary(id).summary);
    assert.equal(j.annotations.length, 1);
    assert.ok('values' in j.series['len.max'], 'finite series as arrays');
    assert.ok('base64' in j.series['res.tOut'], 'non-finite series as base64');
    const back = decodeSeries(JSON.parse(JSON.stringify(j.series)));
    assert.deepEqual(back, store.loadSeries(id));

    const file = writeRunJson(store, id, { path: join(dir, 'run.json') });
    assert.equal(file.path, join(dir, 'run.json'));
    const parsed = JSON.parse(readFileSync(file.path, 'utf8'));
    assert.equal(parsed.params.policy.K, 64);
    assert.throws(() => writeRunJson(store, id, { path: file.path }), /already exists/);
    const b64 = runJson(store, id, 'base64');
    assert.ok(Object.values(b64.series).every((s) => 'base64' in s));
    store.close();
  });
});

describe('summary table', () => {
  it('carries the above-the-bound figures when the summary has them', async () => {
    const { summaryMarkdown } = await import('../../../main/notebook/report');
    const { runScript } = await import('../../../main/engine/index');
    const { config } = await import('../engine/ops-dsl');
    const script = readFileSync(
      join(import.meta.dirname, '../../fixtures/engine-cases/above-bound-worked.jsonl'),
      'utf8',
    );
    const s = runScript(script, config({ policy: 'series', K: 1 })).summary;
    const md = summaryMarkdown(s).join('\n');
    assert.match(md, /\| time above the bound \(pCPU-time\) \| +40 ns \|/);
    assert.match(md, /\| entries above the bound × time \| +60 ns \|/);
    assert.match(md, /\| max entries above the bound \/ operations above it \| +2 \/ 4 \|/);
    const old = { ...s } as Record<string, unknown>;
    for (const k of Object.keys(old)) if (k.startsWith('aboveBound')) delete old[k];
    assert.doesNotMatch(summaryMarkdown(old as unknown as typeof s).join('\n'), /above the bound/);
  });
});

describe('downloads and raw HTML (issue 12 item 9)', () => {
  it('reportText: one Markdown file with the charts as data: URIs, nothing written', () => {
    const { store, id } = notebook();
    const png = tinyPng().toString('base64');
    const before = readdirSync(dir).length;
    const r = reportText(store, id, {
      charts: [{ name: 'heatmap', title: 'List length heatmap', pngBase64: png }],
    });
    assert.equal(readdirSync(dir).length, before, 'no file written');
    assert.equal(r.fileName, `report-${id}-which-k-series-k-64.md`);
    assert.equal(r.mime, 'text/markdown');
    assert.ok(r.text.includes(`![List length heatmap](data:image/png;base64,${png})`));
    assert.throws(
      () => reportText(store, id, { charts: [{ name: 'x', pngBase64: 'bm90IGEgcG5n' }] }),
      /chart x is not a PNG image/,
    );
    const j = runJsonText(store, id);
    assert.equal(j.mime, 'application/json');
    assert.equal(JSON.parse(j.text).experiment.id, id);
    store.close();
  });

  it('escapes raw HTML outside code, as the app shows it', () => {
    const md = [
      'a <script>alert(1)</script> b &amp; `<b>` c',
      '```',
      '<kept in="fence">',
      '```',
      '<img src=x onerror=alert(1)>',
    ].join('\n');
    assert.equal(
      escapeRawHtml(md),
      [
        'a &lt;script>alert(1)&lt;/script> b &amp; `<b>` c',
        '```',
        '<kept in="fence">',
        '```',
        '&lt;img src=x onerror=alert(1)>',
      ].join('\n'),
    );
    const { store, id } = notebook();
    store.updateExperiment(id, { notes: 'see <script>x()</script>' });
    const text = reportText(store, id).text;
    assert.match(text, /see &lt;script>x\(\)&lt;\/script>/);
    assert.ok(!text.includes('<script>'));
    store.close();
  });
});
