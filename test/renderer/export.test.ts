import { test } from 'node:test';
import assert from 'node:assert/strict';
import { experimentMarkdown, notebookMarkdown } from '../../renderer/src/components/util/export';
import type { ExperimentRecord } from '../../shared/model';

const rec = (over: Partial<ExperimentRecord> = {}): ExperimentRecord => ({
  id: 7,
  kind: 'simulation',
  title: 'seed worst case',
  createdAt: '2026-11-25T13:00:00.000Z',
  updatedAt: '2026-11-25T13:00:00.000Z',
  tags: ['worst-case'],
  hasResult: false,
  groupId: null,
  parentId: null,
  maxListLength: null,
  policy: null,
  notes: 'pCPU 0 holds **everything**.',
  params: {
    workload: { pcpus: 112, domains: 32768, vcpusPerDomain: 128, placement: 'pcpu0' },
    policy: { policy: 'upstream', K: 128 },
    seed: 1,
  },
  seed: 1,
  appVersion: '0.1.0',
  appCommit: 'abcdef0123456789',
  engineVersion: '1.0.0',
  summary: null,
  series: [],
  ...over,
});

test('an experiment exports title, tags, parameters, notes and provenance', () => {
  const md = experimentMarkdown(rec());
  assert.match(md, /^## seed worst case \(#7, simulation\)/);
  assert.match(md, /Tags: `worst-case`/);
  assert.match(md, /P = 112, domains = 32768 × 128 vCPUs, placement = pcpu0/);
  assert.match(md, /policy = upstream, K = 128, seed = 1/);
  assert.match(md, /pCPU 0 holds \*\*everything\*\*\./);
  assert.match(md, /app 0\.1\.0 \(abcdef0123\), engine 1\.0\.0/);
  assert.doesNotMatch(md, /\| metric \|/, 'no summary table without a result');
});

test('the notebook export lists every experiment', () => {
  const md = notebookMarkdown([rec(), rec({ id: 8, title: 'second', tags: [] })], new Date(0));
  assert.match(md, /^# Xen PI Lab notebook/);
  assert.match(md, /2 experiment\(s\)/);
  assert.match(md, /## second \(#8, simulation\)/);
});
