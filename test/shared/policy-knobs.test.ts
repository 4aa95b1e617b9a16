import { test } from 'node:test';
import assert from 'node:assert/strict';
import { policyLabel, policyReadsK } from '../../shared/policy-knobs';

test('K is read by bounded policies and by the cycle fix-up when pCPUs go offline', () => {
  assert.equal(policyReadsK({ policy: 'series' }), true);
  assert.equal(policyReadsK({ policy: 'random-under-bound' }), true);
  for (const policy of ['upstream', 'least-loaded', 'two-choices'])
    assert.equal(policyReadsK({ policy, fixup: 'random' }), false, policy);
  assert.equal(policyReadsK({ policy: 'upstream', fixup: 'cycle' }), true);
  assert.equal(policyReadsK({ policy: 'upstream', fixup: 'cycle' }, false), false);
});

test('labels carry K only where the policy reads it', () => {
  assert.equal(policyLabel({ policy: 'least-loaded', K: 128 }), 'least-loaded');
  assert.equal(policyLabel({ policy: 'series', K: 128 }), 'series K=128');
  assert.equal(policyLabel({ policy: 'two-choices', K: 3, fixup: 'cycle' }), 'two-choices K=3');
});
