import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  comparableParams,
  diffParams,
  relevantParamRows,
  sharedSourceNote,
  type CompareRun,
} from '../../../renderer/src/charts/compare';

/** An observed trace's params: its options plus the import's bookkeeping. */
const traceParams = {
  cpuHz: 2.4e9,
  piDomains: null,
  file: { name: 'pvh.bin', sha256: 'ab12', bytes: 1000 },
  clock: { cpuHz: 2.4e9, source: 'estimate' },
  assumptions: { a: 1, b: 2 },
  stats: { records: 1234, lost: 0, perCpu: [1, 2, 3] },
};
const observed: CompareRun = {
  id: 3,
  kind: 'trace',
  params: traceParams,
  engineVersion: '1.0.0',
  summaryPolicy: { policy: 'upstream', K: 128 },
};
const replay = (id: number, policy: string, K = 128): CompareRun => ({
  id,
  kind: 'trace',
  params: {
    replayOf: 3,
    policy: { policy, K, compare: '<', hCounts: 'all', pool: null, fixup: 'random' },
    source: traceParams,
  },
  engineVersion: '1.0.0',
});

describe('compare: policy-relevant differences (issue 12 item 1)', () => {
  it('a replay against its observed trace differs in the policy only', () => {
    const runs = [observed, replay(4, 'series')];
    const note = sharedSourceNote(runs);
    assert.equal(
      note,
      '#4 replays the observed trace #3: they share their source (file, clock, assumptions, statistics), so only the policy differs.',
    );
    const rows = diffParams(runs.map(comparableParams));
    assert.ok(rows.filter((r) => r.differs).length > 5, 'bookkeeping differs in key paths');
    const shown = relevantParamRows(rows, false, note !== null);
    assert.deepEqual(
      shown.map((r) => [r.key, ...r.values]),
      [['policy.policy', 'upstream (observed)', 'series']],
    );
    assert.ok(relevantParamRows(rows, true).length > 15, '"show all" keeps everything');
  });

  it('two replays of one trace: K differs, the note says they replay the same trace', () => {
    const runs = [replay(4, 'series', 32), replay(5, 'series', 64)];
    assert.match(sharedSourceNote(runs)!, /#4, #5 replay the same trace #3/);
    const shown = relevantParamRows(diffParams(runs.map(comparableParams)), false, true);
    assert.deepEqual(
      shown.map((r) => r.key),
      ['policy.K'],
    );
  });

  it('simulations: no source note; kind and workload differences stay', () => {
    const sim = (id: number, pcpus: number): CompareRun => ({
      id,
      kind: 'simulation',
      params: { workload: { pcpus }, policy: { policy: 'series', K: 1 }, seed: 1 },
      engineVersion: '1.0.0',
    });
    assert.equal(sharedSourceNote([sim(1, 8), sim(2, 16)]), null);
    assert.equal(sharedSourceNote([sim(1, 8), observed]), null);
    const rows = relevantParamRows(diffParams([sim(1, 8), observed].map(comparableParams)), false);
    assert.ok(rows.some((r) => r.key === 'kind'));
    assert.ok(rows.some((r) => r.key === 'workload.pcpus'));
    assert.ok(!rows.some((r) => /^(stats|file|clock|assumptions)\./.test(r.key)));
  });
});
