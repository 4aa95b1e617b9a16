import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fmtEta,
  fmtHz,
  fmtInt,
  fmtIntList,
  fmtNs,
  fmtVcpu,
  parseIntList,
  parseTags,
  parseTime,
  parseVcpu,
} from '../../renderer/src/components/util/format';
import { hashToPage, pageToHash } from '../../renderer/src/components/util/route';

test('fmtInt groups thousands and shows a dash for missing values', () => {
  assert.equal(fmtInt(4194304), '4,194,304');
  assert.equal(fmtInt(0), '0');
  assert.equal(fmtInt(null), '—');
  assert.equal(fmtInt(NaN), '—');
});

test('fmtNs picks a unit with three significant digits', () => {
  assert.equal(fmtNs(850), '850 ns');
  assert.equal(fmtNs(21760), '21.8 µs');
  assert.equal(fmtNs(3.5e6), '3.5 ms');
  assert.equal(fmtNs(1.25e9), '1.25 s');
  assert.equal(fmtNs(null), '—');
});

test('fmtEta', () => {
  assert.equal(fmtEta(null), '—');
  assert.equal(fmtEta(200), '< 1 s');
  assert.equal(fmtEta(42_000), '42 s');
  assert.equal(fmtEta(185_000), '3 m 05 s');
  assert.equal(fmtEta(3_720_000), '1 h 02 m');
});

test('fmtHz', () => {
  assert.equal(fmtHz(2.4e9), '2.400 GHz');
  assert.equal(fmtHz(800e6), '800.000 MHz');
});

test('parseTime reads units and defaults', () => {
  assert.equal(parseTime('12.5'), 12.5e6);
  assert.equal(parseTime('250 us'), 250e3);
  assert.equal(parseTime('250µs'), 250e3);
  assert.equal(parseTime('3 s'), 3e9);
  assert.equal(parseTime('7', 'ns'), 7);
  assert.equal(parseTime('-1'), null);
  assert.equal(parseTime('abc'), null);
  assert.equal(parseTime(''), null);
});

test('parseIntList handles ranges, spaces, duplicates and errors', () => {
  assert.deepEqual(parseIntList(''), { ok: true, value: [] });
  assert.deepEqual(parseIntList('3, 1,2 1 5-7'), { ok: true, value: [1, 2, 3, 5, 6, 7] });
  assert.equal(parseIntList('1, x').ok, false);
  assert.equal(parseIntList('7-5').ok, false);
  assert.equal(parseIntList('70000').ok, false);
  assert.equal(fmtIntList([0, 1, 2, 5, 7, 8]), '0-2, 5, 7-8');
  assert.equal(fmtIntList([]), '');
});

test('tags and vCPUs', () => {
  assert.deepEqual(parseTags('a b,c  a'), ['a', 'b', 'c']);
  assert.deepEqual(parseVcpu('d3v1'), { dom: 3, vcpu: 1 });
  assert.deepEqual(parseVcpu('3.1'), { dom: 3, vcpu: 1 });
  assert.equal(parseVcpu(''), null);
  assert.equal(parseVcpu('banana'), undefined);
  assert.equal(fmtVcpu({ dom: 0, vcpu: 7 }), 'd0v7');
});

test('route hash round trip', () => {
  assert.equal(pageToHash({ kind: 'experiment', id: 12 }, 'notes'), '#/experiment/12/notes');
  assert.deepEqual(hashToPage('#/experiment/12/notes'), {
    page: { kind: 'experiment', id: 12 },
    tab: 'notes',
  });
  assert.deepEqual(hashToPage('#/compare/3,4'), { page: { kind: 'compare', ids: [3, 4] } });
  assert.deepEqual(hashToPage('#/compare/3'), { page: { kind: 'home' } });
  assert.deepEqual(hashToPage('#/new'), { page: { kind: 'new-sim' } });
  assert.deepEqual(hashToPage('#/nonsense'), { page: { kind: 'home' } });
  assert.equal(pageToHash({ kind: 'sweep', groupId: 4 }, 'run'), '#/sweep/4');
  assert.deepEqual(hashToPage('#/sweep/4'), { page: { kind: 'sweep', groupId: 4 } });
  assert.deepEqual(hashToPage('#/sweep'), { page: { kind: 'sweep' } });
});
