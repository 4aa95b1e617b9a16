import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fittedCdfCsv,
  fittedCdfOption,
  fittedCdfSeries,
  tableCdf,
} from '../../../renderer/src/charts/fitted';
import { chartColors } from '../../../renderer/src/charts/theme';
import { fitWorkload } from '../../../main/trace/fit-workload';
import { columnsFromOps } from '../../../main/trace/index';
import { buildQuantileTable, FIT_SLICES } from '../../../shared/fitted-workload';
import type { Op } from '../../../shared/ops';

const ops: Op[] = [
  { op: 'pcpus', t: 0, n: 2 },
  { op: 'vcpu_create', t: 0, dom: 3, vcpu: 0, pi: true },
  { op: 'vcpu_create', t: 0, dom: 3, vcpu: 1, pi: true },
  { op: 'run', t: 1, dom: 3, vcpu: 0, pcpu: 0 },
  { op: 'block', t: 10, dom: 3, vcpu: 0, pcpu: 0 },
  { op: 'post', t: 1000, dom: 3, vcpu: 0 },
  { op: 'run', t: 1100, dom: 3, vcpu: 0, pcpu: 0 },
  { op: 'block', t: 2000, dom: 3, vcpu: 0, pcpu: 0 },
  { op: 'post', t: 2500, dom: 3, vcpu: 0 },
];
const fit = fitWorkload(columnsFromOps(ops), {
  file: { name: 'x', bytes: 0, sha256: '0'.repeat(64) },
  experimentId: null,
  pcpus: 2,
  spanNs: 3000,
  cpuHz: 1e9,
  wakeAs: 'post',
  domainsSeen: [],
});

test('a table plots as its 33 boundaries at probabilities j/32, zero drawn at 1 ns', () => {
  const cdf = tableCdf(buildQuantileTable([0, 100, 300]));
  assert.equal(cdf.length, FIT_SLICES + 1);
  assert.deepEqual(cdf[0], [1, 0]);
  assert.deepEqual(cdf[FIT_SLICES], [300, 1]);
  for (let i = 1; i < cdf.length; i++) assert.ok(cdf[i][0] >= cdf[i - 1][0]);
  assert.deepEqual(tableCdf(buildQuantileTable([])), []);
});

test('one line per source vCPU with samples; none left: no chart', () => {
  const lines = fittedCdfSeries(fit, 'blockedNs');
  assert.deepEqual(
    lines.map((l) => [l.name, l.n]),
    [['d3v0', 2]],
  );
  assert.deepEqual(lines[0].data.at(-1), [990, 1]);
  const opt = fittedCdfOption(fit, 'blockedNs', chartColors());
  assert.ok(opt);
  assert.deepEqual(
    opt.series.map((s) => s.name),
    ['d3v0 (n 2)'],
  );
  assert.equal(opt.xAxis.type, 'log');
  const none = { ...fit, domains: fit.domains.map((d) => ({ ...d, vcpus: [d.vcpus[1]] })) };
  assert.equal(fittedCdfOption(none, 'blockedNs', chartColors()), null);
  const csv = fittedCdfCsv(fit, 'blockedNs').trim().split('\n');
  assert.equal(csv[0], 'vcpu,samples,fraction,ns');
  assert.equal(csv.length, 1 + FIT_SLICES + 1);
  assert.equal(csv.at(-1), 'd3v0,2,1,990');
});
