import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHANNELS, requestSchemas, type Channel } from '../../../shared/api';
import { CHANNEL_NAMES } from '../../../shared/channels';
import { ApiError } from '../../../shared/errors';
import { dispatch, toApiError, type Handlers } from '../../../main/api/dispatch';

/** Handlers that fail the test if reached: a malformed argument must never get this far. */
function tripwires(calls: string[]): Handlers {
  return Object.fromEntries(
    CHANNELS.map((c) => [
      c,
      (req: unknown) => {
        calls.push(c);
        return { echoed: req };
      },
    ]),
  ) as unknown as Handlers;
}

/** Arguments no channel accepts: wrong types at the top level, and unknown keys (schemas are strict). */
const MALFORMED: unknown[] = [
  null,
  42,
  'experiments',
  [],
  [{}],
  true,
  { __proto_pollution__: 1, surplus: 'x' },
];

/** Per channel, arguments with the right shape but a wrong field (type, range or format). */
const WRONG_FIELDS: Partial<Record<Channel, unknown[]>> = {
  'experiments.list': [{ search: 5 }, { tag: 'has space' }, { groupId: -1 }],
  'experiments.get': [{ id: '1' }, { id: 0 }, { id: 1.5 }, {}],
  'experiments.create': [
    { kind: 'movie', title: 'x' },
    { kind: 'trace', title: '' },
    { kind: 'trace' },
  ],
  'experiments.update': [
    { id: 1, title: '' },
    { id: 1, tags: ['a b'] },
    { id: 1, notes: 7 },
  ],
  'experiments.delete': [{ id: -3 }, { id: null }],
  'annotations.list': [{ experimentId: 'x' }],
  'annotations.add': [
    { experimentId: 1, tNs: -1, text: 'x' },
    { experimentId: 1, tNs: 1, text: '' },
    { experimentId: 1, tNs: 1, text: 'x', pcpu: -2 },
  ],
  'annotations.delete': [{ id: 'all' }],
  'sim.start': [
    { params: {} },
    {
      params: {
        workload: { pcpus: 0, domains: 1, vcpusPerDomain: 1 },
        policy: { policy: 'upstream' },
      },
    },
    {
      params: {
        workload: { pcpus: 4, domains: 1, vcpusPerDomain: 1 },
        policy: { policy: 'magic' },
      },
    },
  ],
  'jobs.cancel': [{ jobId: '' }, { jobId: 3 }],
  'trace.import': [{ path: '' }, { path: '/x', cpuHz: -5 }, { path: '/x', piDomains: ['1'] }],
  'trace.replay': [{ experimentId: 1, policy: { policy: 'series', K: -1 } }],
  'run.series': [
    { experimentId: 1, pixels: 0 },
    { experimentId: 1, pixels: 1e6 },
  ],
  'run.lengthsAt': [{ experimentId: 1, tNs: 'now' }],
  'run.listAt': [{ experimentId: 1, tNs: 0, pcpu: 0, limit: 1e9 }],
  'run.seriesCsv': [{ experimentId: 1, name: '' }],
  'run.rangeStats': [
    { experimentId: 1, t0Ns: 0 },
    { experimentId: 1, t0Ns: -1, t1Ns: 10 },
    { experimentId: 1, t0Ns: '0', t1Ns: 10 },
    { experimentId: 1, t0Ns: 10, t1Ns: 10 },
    { experimentId: 1, t0Ns: 20, t1Ns: 10 },
    { experimentId: 0, t0Ns: 0, t1Ns: 10 },
  ],
  'dialog.open': [{ filters: 'bin' }],
};

describe('API contract', () => {
  it('the preload channel list and the schema table agree', () => {
    assert.deepEqual([...CHANNEL_NAMES].sort(), [...CHANNELS].sort());
  });

  for (const channel of CHANNELS) {
    it(`${channel} refuses malformed arguments with a typed invalid-argument error`, async () => {
      const calls: string[] = [];
      const h = tripwires(calls);
      for (const arg of [...MALFORMED, ...(WRONG_FIELDS[channel] ?? [])]) {
        const r = await dispatch(h, channel, arg);
        assert.equal(r.ok, false, `${channel} accepted ${JSON.stringify(arg)}`);
        if (!r.ok) {
          assert.equal(r.error.code, 'invalid-argument');
          assert.match(r.error.message, new RegExp(channel.replace('.', '\\.')));
          assert.ok(r.error.issues && r.error.issues.length > 0);
        }
      }
      assert.deepEqual(calls, [], 'no handler ran');
    });
  }

  it('passes a valid argument through, with schema defaults applied', async () => {
    const calls: string[] = [];
    const r = await dispatch(tripwires(calls), 'run.listAt', { experimentId: 2, tNs: 5, pcpu: 1 });
    assert.equal(r.ok, true);
    assert.deepEqual(calls, ['run.listAt']);
    if (r.ok)
      assert.deepEqual(r.value, {
        echoed: { experimentId: 2, tNs: 5, pcpu: 1, offset: 0, limit: 200 },
      });
    assert.ok(requestSchemas['run.listAt']);
  });

  it('refuses unknown channels, including prototype names', async () => {
    for (const name of ['nope', '__proto__', 'constructor', 'toString', 42, null]) {
      const r = await dispatch(tripwires([]), name, {});
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(r.error.code, 'unknown-channel');
    }
  });

  it('turns handler failures into typed errors instead of throwing', async () => {
    const h = {
      ...tripwires([]),
      'experiments.get': () => {
        throw Object.assign(new Error('experiment 9 not found'), { name: 'NotFoundError' });
      },
      'experiments.delete': () => {
        throw new TypeError('boom');
      },
    } as Handlers;
    const a = await dispatch(h, 'experiments.get', { id: 9 });
    assert.deepEqual(a, {
      ok: false,
      error: { code: 'not-found', message: 'experiment 9 not found', issues: undefined },
    });
    const b = await dispatch(h, 'experiments.delete', { id: 9 });
    assert.equal(!b.ok && b.error.code, 'internal');
    assert.equal(toApiError(new ApiError('conflict', 'x')).code, 'conflict');
  });
});
