import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requestSchemas } from '../../shared/api';
import {
  checkForm,
  defaultForm,
  type RecommendForm,
} from '../../renderer/src/components/util/recommend-form';
import { hashToPage, pageToHash } from '../../renderer/src/components/util/route';

const form = (patch: Partial<RecommendForm> = {}): RecommendForm => ({
  ...defaultForm({ preset: 'domain-churn' }),
  ...patch,
});

test('the default form is a valid recommend.start request: the CLI grid, the issue’s targets', () => {
  const c = checkForm(form());
  assert.deepEqual(c.errors, {});
  assert.deepEqual(c.request, {
    base: { preset: 'domain-churn' },
    targets: ['p99WalkNs<=20000', 'remoteFraction<=0.05'],
    policies: ['series', 'random-under-bound'],
    Ks: [0, 1, 2, 4, 8, 16, 32, 64, 128],
    seeds: 3,
    durationNs: 1e8,
  });
  assert.equal(c.runs, 9 * 2 * 3);
  // What the form sends, main accepts.
  assert.ok(requestSchemas['recommend.start'].safeParse(c.request).success);
});

test('from a saved run: its id is the base and its own duration is kept', () => {
  const f = defaultForm({ experimentId: 12 });
  assert.equal(f.baseKind, 'experiment');
  assert.equal(f.duration, '');
  const c = checkForm(f);
  assert.deepEqual(c.request?.base, { experimentId: 12 });
  assert.equal(c.request && 'durationNs' in c.request, false);
  assert.equal(
    checkForm({ ...f, experimentId: 'x' }).errors.base,
    'give the id of a saved simulation run',
  );
});

test('each bad field is named, and no request is made', () => {
  const c = checkForm(
    form({
      targets: [
        { metric: 'p99WalkNs', op: '<=', value: 'lots' },
        { metric: 'maxListLength', op: '<', value: '' },
      ],
      policies: [],
      Ks: '0, 4-2',
      seeds: '0',
      duration: 'soon',
    }),
  );
  assert.equal(c.request, null);
  assert.match(c.errors['target.0'], /"lots" is not a number/);
  assert.equal(c.errors['target.1'], 'give a value');
  assert.equal(c.errors.policies, 'tick at least one policy');
  assert.equal(c.errors.Ks, 'range "4-2" is reversed');
  assert.equal(c.errors.seeds, 'an integer in [1, 100]');
  assert.match(c.errors.duration, /a time, e\.g\. 100 ms/);
  assert.equal(c.runs, 0);
  assert.equal(checkForm(form({ targets: [] })).errors.targets, 'give at least one target');
  assert.equal(checkForm(form({ Ks: ' ' })).errors.Ks, 'give at least one K, e.g. 0, 4, 16');
});

test('K ranges expand, policies keep the menu’s order, the count follows', () => {
  const c = checkForm(
    form({
      Ks: '16, 0-2',
      policies: ['two-choices', 'series'],
      seeds: '2',
      duration: '2 s',
      title: ' mine ',
    }),
  );
  assert.deepEqual(c.request?.Ks, [0, 1, 2, 16]);
  assert.deepEqual(c.request?.policies, ['series', 'two-choices']);
  assert.equal(c.request?.durationNs, 2e9);
  assert.equal(c.request?.title, 'mine');
  assert.equal(c.runs, 4 * 2 * 2);
});

test('the recommend page round-trips through the hash', () => {
  assert.equal(pageToHash({ kind: 'recommend' }, 'run'), '#/recommend');
  assert.equal(pageToHash({ kind: 'recommend', baseExperimentId: 7 }, 'run'), '#/recommend/7');
  assert.deepEqual(hashToPage('#/recommend/7'), {
    page: { kind: 'recommend', baseExperimentId: 7 },
  });
  assert.deepEqual(hashToPage('#/recommend'), { page: { kind: 'recommend' } });
});
