import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { SimParamsSchema } from '../../shared/params';
import {
  FIELD_BY_PATH,
  PARAM_FIELDS,
  defaultParams,
  derived,
  differsFromDefault,
  fromDisplay,
  SCHEMA_DEFAULTS,
  normalizeParams,
  setPath,
  toDisplay,
  validateParams,
} from '../../renderer/src/components/util/params-form';

/** Leaf paths of an object schema (arrays of objects and `preset` are edited elsewhere). */
function leafPaths(schema: z.ZodType, prefix = ''): string[] {
  let s = schema as z.ZodType;
  // unwrap defaults / optionals / nullables
  for (;;) {
    const def = (s as unknown as { def: { type: string; innerType?: z.ZodType } }).def;
    if (
      (def.type === 'default' || def.type === 'optional' || def.type === 'nullable') &&
      def.innerType
    )
      s = def.innerType;
    else break;
  }
  if (s instanceof z.ZodObject) {
    return Object.entries(s.shape).flatMap(([k, v]) =>
      leafPaths(v as z.ZodType, prefix ? `${prefix}.${k}` : k),
    );
  }
  return [prefix];
}

test('every SimParams field has a form field with a unit or options, help and a source', () => {
  const paths = leafPaths(SimParamsSchema).filter(
    (p) => p !== 'preset' && p !== 'workload.hotplug',
  );
  for (const p of paths) {
    const f = FIELD_BY_PATH.get(p);
    assert.ok(f, `no form field for ${p}`);
    assert.ok(f.help.length > 10, `${p} has help`);
    assert.ok(f.source.length > 1, `${p} has a source`);
    assert.ok(f.kind === 'enum' ? f.options?.length : f.unit !== undefined, `${p} has unit`);
  }
  assert.equal(PARAM_FIELDS.length, paths.length, 'no stale form fields');
});

test('the K and walk-cost sources cite the series rationale', () => {
  assert.match(FIELD_BY_PATH.get('policy.K')!.source, /K = 128: the series’ default/);
  assert.match(FIELD_BY_PATH.get('costs.walkNsPerEntry')!.source, /170 ns per entry: 22 µs \/ 128/);
});

test('defaults validate; a bad field gets a field-level message', () => {
  const p = defaultParams() as Record<string, unknown>;
  assert.equal(validateParams(p).ok, true);
  setPath(p, 'workload.pcpus', 0);
  setPath(p, 'policy.K', 1.5);
  setPath(p, 'policy.pool', [1, NaN]);
  const v = validateParams(p);
  assert.equal(v.ok, false);
  assert.ok(v.fieldErrors['workload.pcpus']);
  assert.ok(v.fieldErrors['policy.K']);
  assert.ok(v.fieldErrors['policy.pool'], 'array items map to their field');
  assert.deepEqual(v.formErrors, []);
});

test('hotplug rows keep their own path', () => {
  const p = defaultParams() as Record<string, unknown>;
  setPath(p, 'workload.hotplug', [{ tNs: -1, pcpu: 0, online: false }]);
  const v = validateParams(p);
  assert.ok(v.fieldErrors['workload.hotplug.0.tNs']);
});

test('durations display in their unit and store ns', () => {
  const f = FIELD_BY_PATH.get('workload.runNs')!;
  assert.equal(toDisplay(f, 2e6), '2');
  assert.equal(fromDisplay(f, '2.5'), 2.5e6);
  assert.ok(Number.isNaN(fromDisplay(f, '') as number));
  const pool = FIELD_BY_PATH.get('policy.pool')!;
  assert.equal(fromDisplay(pool, ''), null);
  assert.deepEqual(fromDisplay(pool, '0-2, 5'), [0, 1, 2, 5]);
  assert.equal(toDisplay(pool, [0, 1]), '0, 1');
});

test('normalizeParams fills defaults and keeps known values of partial input', () => {
  const n = normalizeParams({
    workload: { pcpus: 4, domains: 2, vcpusPerDomain: 2 },
    policy: { policy: 'upstream' },
  });
  assert.equal(n.policy.K, 128);
  assert.equal(n.workload.pcpus, 4);
  const bad = normalizeParams({ workload: { pcpus: -3 }, policy: { policy: 'series', K: 4 } });
  assert.equal(bad.workload.pcpus, -3, 'invalid values are kept for the user to fix');
  assert.equal(bad.policy.K, 4);
});

test('derived bound = floor(H / P) + K', () => {
  const d = derived({
    workload: { pcpus: 112, domains: 32768, vcpusPerDomain: 128 },
    policy: { policy: 'series', K: 128 },
  });
  assert.equal(d.H, 4194304);
  assert.equal(d.bound, Math.floor(4194304 / 112) + 128);
  assert.equal(
    derived({
      workload: { pcpus: 2, domains: 1, vcpusPerDomain: 1 },
      policy: { policy: 'upstream' },
    }).bound,
    null,
  );
});

test('changed-from-default markers', () => {
  assert.equal(SCHEMA_DEFAULTS['policy.K'], 128);
  assert.equal(SCHEMA_DEFAULTS['costs.walkNsPerEntry'], 170);
  assert.equal(differsFromDefault('policy.K', 128), false);
  assert.equal(differsFromDefault('policy.K', 4), true);
  assert.equal(differsFromDefault('policy.pool', null), false);
  assert.equal(differsFromDefault('workload.pcpus', 3), false, 'no default, no marker');
});

test('coalesced wakeups: an optional duration in µs, empty = off', () => {
  const f = FIELD_BY_PATH.get('policy.coalesceNs')!;
  assert.equal(f.group, 'Policy');
  assert.equal(fromDisplay(f, ''), undefined);
  assert.equal(fromDisplay(f, '2.5'), 2500);
  assert.equal(toDisplay(f, undefined), '');
  assert.equal(toDisplay(f, 2500), '2.5');
  const p = defaultParams() as Record<string, unknown>;
  setPath(p, 'policy.coalesceNs', fromDisplay(f, ''));
  assert.equal(validateParams(p).ok, true);
  setPath(p, 'policy.coalesceNs', fromDisplay(f, '-1'));
  assert.ok(validateParams(p).fieldErrors['policy.coalesceNs']);
  assert.equal(differsFromDefault('policy.coalesceNs', undefined), false);
  assert.equal(differsFromDefault('policy.coalesceNs', 2500), true);
});
