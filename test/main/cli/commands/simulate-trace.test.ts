import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../../../main/store/store';
import { simulateFitted } from '../../../../main/engine/fitted-workload';
import { TraceSimParamsSchema } from '../../../../shared/fitted-workload';
import { POLICY_NAMES } from '../../../../shared/params';
import { cli, tempDir, TRACES } from './cli-helpers';

const dir = tempDir('xpl-cli-trace-workload-');
test.after(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'lab.db');
const DUMP = join(TRACES, 'pvh-idle-dom0-sched.bin');
const SHA = createHash('sha256').update(readFileSync(DUMP)).digest('hex');
const SCALED = ['--domains', '1024', '--pcpus', '112', '--duration', '1s'];

test('a dump scaled to 1024 domains on 112 pCPUs runs under every policy, saved with provenance', async () => {
  // The first policy from the file, the others from the same dump saved as a trace run.
  const imp = await cli(['--db', db, 'import', DUMP, '--cpu-hz', '2445.414M', '--save', '--json']);
  assert.equal(imp.code, 0, imp.err);
  const traceId = JSON.parse(imp.out).id as number;
  const store = Store.open(db);
  try {
    for (const [i, policy] of POLICY_NAMES.entries()) {
      const source = i === 0 ? [DUMP, '--cpu-hz', '2445.414M'] : [String(traceId)];
      const r = await cli(
        ['--db', db, 'simulate', '--trace-workload', ...source, ...SCALED].concat([
          '--policy',
          policy,
          '--K',
          '2',
          '--seed',
          '3',
          '--save',
          '--json',
        ]),
      );
      assert.equal(r.code, 0, r.err);
      const out = JSON.parse(r.out);
      assert.equal(out.policy, policy);
      assert.equal(out.provenance.dump.sha256, SHA);
      assert.equal(out.provenance.experimentId, i === 0 ? null : traceId);
      assert.ok(out.wakeupInterrupts > 0);
      const e = store.getExperiment(out.experimentId);
      assert.equal(e.kind, 'simulation');
      const { provenance, ...stored } = e.params as Record<string, unknown>;
      assert.deepEqual(provenance, out.provenance);
      // The fit is stored with the params: the run is reproduced from them alone.
      const p = TraceSimParamsSchema.parse(stored);
      assert.equal(p.traceWorkload.fit.source.sha256, SHA);
      assert.equal(p.traceWorkload.domains, 1024);
      const again = simulateFitted(p).summary;
      for (const k of ['H', 'operations', 'wakeupInterrupts', 'walked', 'maxListLength'] as const)
        assert.equal(again[k], out[k], `${policy}: ${k}`);
    }
  } finally {
    store.close();
  }
});

test('the same dump from the file and from the notebook gives the same run', async () => {
  const a = await cli([
    '--db',
    db,
    'simulate',
    '--trace-workload',
    DUMP,
    '--cpu-hz',
    '2445.414M',
    ...SCALED,
    '--json',
  ]);
  const list = Store.open(db);
  const id = list.listExperiments().find((e) => e.kind === 'trace')!.id;
  list.close();
  const b = await cli([
    '--db',
    db,
    'simulate',
    '--trace-workload',
    String(id),
    ...SCALED,
    '--json',
  ]);
  assert.equal(a.code, 0, a.err);
  assert.equal(b.code, 0, b.err);
  const sa = JSON.parse(a.out);
  const sb = JSON.parse(b.out);
  assert.equal(sa.provenance.dump.sha256, sb.provenance.dump.sha256);
  assert.equal(sb.provenance.experimentId, id);
  for (const k of ['H', 'operations', 'wakeupInterrupts', 'walked', 'maxListLength', 'endNs'])
    assert.equal(sa[k], sb[k], k);
});

test('bad input is refused with a clear message and saves nothing', async () => {
  const before = Store.open(db);
  const n = before.listExperiments().length;
  before.close();
  const cases: [string[], RegExp][] = [
    [['--trace-workload', DUMP, '--pcpus', '4'], /needs --domains N and --pcpus P/],
    [['--trace-workload', DUMP, '--domains', '0', '--pcpus', '4'], /--domains needs an integer/],
    [
      ['--trace-workload', DUMP, '--domains', '2', '--pcpus', '4', '--placement', 'x'],
      /--placement is one of/,
    ],
    [
      ['--trace-workload', '1', '--domains', '2', '--pcpus', '4', '--pi-domains', '1'],
      /import options apply to a DUMP file/,
    ],
    [['--trace-workload', '999', '--domains', '2', '--pcpus', '4'], /999/],
    [
      ['--trace-workload', join(TRACES, 'dom0-sched.bin'), '--domains', '2', '--pcpus', '4'],
      /no HVM domain to fit/,
    ],
  ];
  for (const [args, msg] of cases) {
    const r = await cli(['--db', db, 'simulate', ...args, '--save']);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.match(r.err, msg);
  }
  const after = Store.open(db);
  assert.equal(after.listExperiments().length, n);
  after.close();
});

test('--pi-domains makes a dump without HVM records fittable', async () => {
  const r = await cli(
    [
      '--db',
      db,
      'simulate',
      '--trace-workload',
      join(TRACES, 'dom0-sched.bin'),
      '--pi-domains',
      '0',
    ].concat(['--domains', '4', '--pcpus', '4', '--json']),
  );
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out);
  assert.equal(out.provenance.domains, 1);
  assert.equal(out.H, 4 * out.provenance.vcpus);
});
