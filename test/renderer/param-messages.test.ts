import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FIELD_BY_PATH,
  defaultParams,
  setPath,
  validateParams,
} from '../../renderer/src/components/util/params-form';
import { fieldMessage, fieldRange } from '../../renderer/src/components/util/param-messages';
import { matchesReference, valueNote } from '../../renderer/src/components/util/param-notes';
import { autoTitle } from '../../renderer/src/components/util/run-title';
import type { SimParamsInput } from '../../shared/params';

const field = (p: string) => FIELD_BY_PATH.get(p)!;

test('messages read like the CLI: what the field needs, in its unit, and what it got', () => {
  assert.equal(
    fieldMessage(field('policy.K'), '-5'),
    'K needs an integer in [0, 16777216], got "-5"',
  );
  assert.equal(
    fieldMessage(field('workload.pcpus'), '0'),
    'pCPUs needs an integer in [1, 4096], got "0"',
  );
  assert.equal(
    fieldMessage(field('workload.runNs'), '-1'),
    'Mean run time needs a number > 0 ms, got "-1"',
  );
  assert.equal(
    fieldMessage(field('workload.piFraction'), '2'),
    'PI fraction needs a number in [0, 1], got "2"',
  );
  assert.equal(
    fieldMessage(field('seed'), 'x'),
    'Seed needs an integer in [0, 4294967295], got "x"',
  );
  assert.match(fieldMessage(field('workload.placement'), 'north'), /one of spread, pcpu0, random/);
  // Ranges come from the schema itself, so they follow it.
  assert.deepEqual(fieldRange('buckets'), { min: 16, max: 65536, minExclusive: false, int: true });
  assert.equal(fieldRange('workload.placement'), null);
});

test('no raw zod wording reaches a field that has a message', () => {
  const p = defaultParams() as unknown as Record<string, unknown>;
  setPath(p, 'policy.K', -5);
  const v = validateParams(p);
  assert.ok(v.fieldErrors['policy.K'], 'the schema refuses K = -5');
  assert.doesNotMatch(fieldMessage(field('policy.K'), '-5'), /Too small|expected number/);
});

test('the third column describes the value in the field, not the reference one', () => {
  const p = defaultParams();
  // 8 pCPUs, 16 x 4 vCPUs: not the 112 pCPUs the source text is about.
  assert.equal(valueNote(field('workload.pcpus'), p), '8 pCPUs: H / P = 8 vCPUs per pCPU');
  assert.equal(valueNote(field('workload.domains'), p), '16 domains × 4 vCPUs = H 64');
  assert.equal(valueNote(field('policy.K'), p), null, 'K = 128 is the reference value');
  const k4 = { ...p, policy: { ...p.policy, K: 4 } } as SimParamsInput;
  assert.equal(valueNote(field('policy.K'), k4), 'K = 4: bound = ⌊H / P⌋ + K = 12');
  const up = { ...k4, policy: { ...k4.policy, policy: 'upstream' as const } };
  assert.equal(valueNote(field('policy.K'), up), 'K = 4: not read by upstream');
  const one = { ...p, workload: { ...p.workload, pcpus: 1, domains: 1, vcpusPerDomain: 1 } };
  assert.equal(valueNote(field('workload.domains'), one), '1 domain × 1 vCPU = H 1');
  assert.ok(matchesReference('workload.pcpus', 112));
  assert.ok(!matchesReference('workload.pcpus', 8));
});

test('the derived title follows the policy and shows K only where it is read', () => {
  const p = { ...defaultParams(), preset: 'seed-worst-case' } as SimParamsInput;
  assert.equal(autoTitle(p), 'seed-worst-case · series K=128 · seed 1');
  const up = { ...p, policy: { ...p.policy, policy: 'upstream' as const } };
  assert.equal(autoTitle(up), 'seed-worst-case · upstream · seed 1');
  const ll = {
    ...p,
    preset: null,
    seed: 7,
    policy: { ...p.policy, policy: 'least-loaded' as const },
  };
  assert.equal(autoTitle(ll), 'custom · least-loaded · seed 7');
});
