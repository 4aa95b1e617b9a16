import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScript } from '../../../../main/engine/index';
import { aboveBoundCard } from '../../../../renderer/src/components/run/aboveBound';
import { config } from '../../../main/engine/ops-dsl';

const SCRIPT = readFileSync(
  join(import.meta.dirname, '../../../fixtures/engine-cases/above-bound-worked.jsonl'),
  'utf8',
);

test('the above-the-bound card shows the run’s figures', () => {
  const s = runScript(SCRIPT, config({ policy: 'series', K: 1 })).summary;
  assert.deepEqual(aboveBoundCard(s), {
    id: 'above-bound',
    label: 'time above the bound',
    value: '40 ns',
    sub: 'max +2 entries · 4 ops',
    title:
      '40 ns of pCPU-time with a list above the bound in force; 60 ns × entries above it; ' +
      'at most 2 entries above (first at 20 ns); 4 operations left a list above it.',
    warn: true,
  });
  const none = aboveBoundCard(runScript(SCRIPT, config({ policy: 'series', K: 128 })).summary);
  assert.equal(none?.value, '0 ns');
  assert.equal(none?.sub, 'no list above the bound');
  assert.equal(none?.warn, false);
});

test('runs saved before the figures existed get no card', () => {
  const s = runScript(SCRIPT, config({ policy: 'series', K: 1 })).summary;
  const old = { ...s } as Record<string, unknown>;
  for (const k of Object.keys(old)) if (k.startsWith('aboveBound')) delete old[k];
  assert.equal(aboveBoundCard(old as unknown as typeof s), null);
});
