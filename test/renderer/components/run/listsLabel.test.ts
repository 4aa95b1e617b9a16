import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listsLabel } from '../../../../renderer/src/components/run/listsLabel';
import { listProvenance } from '../../../../main/trace/provenance';

const prov = (o: Partial<Parameters<typeof listProvenance>[0]>) =>
  listProvenance({
    asRecorded: false,
    policy: 'upstream',
    userPiDomains: null,
    hvmDomains: 1,
    spanNs: 1e6,
    ...o,
  });

test('the run view labels lists observed only when they come from PI records', () => {
  assert.deepEqual(listsLabel({ provenance: prov({ asRecorded: true }) }), {
    label: "observed (the lab's PI list records)",
    observed: true,
    noHvm: false,
  });
  assert.deepEqual(listsLabel({ provenance: prov({}) }), {
    label: 'reconstructed, assuming every HVM domain has an assigned device',
    observed: false,
    noHvm: false,
  });
  assert.equal(listsLabel({ provenance: prov({ hvmDomains: 0 }) })?.noHvm, true);
  // Runs saved before provenance existed, and simulations, have no label.
  assert.equal(listsLabel({ cpuHz: 2.4e9 }), null);
  assert.equal(listsLabel(null), null);
});
