/**
 * The cursors' hot loop (cursor.ts) against a plain reference walk of each dump: every window,
 * every record through a DataView, TSCs as bigints. Per pCPU, the records handed to the merge
 * must be the same ones, in file order, with the same payload and TSC, and the counts the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readTraceBytes } from '../../../main/trace/reader';
import type { UserIdMapping } from '../../../main/trace/decoder';
import { isPiRecord } from '../../../main/trace/pi-records';
import { DUMPS, dumpPath } from './fixtures';

interface Rec {
  id: number;
  tsc: bigint | null;
  words: number[];
}

/** Per pCPU, the merge's records in file order, and per id the record count (windows included). */
function reference(bytes: Uint8Array, user: Set<number>) {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const merged = new Map<number, Rec[]>();
  const counts = new Map<number, number>();
  const last = new Map<number, bigint | null>();
  let pos = 0;
  while (pos + 12 <= bytes.length) {
    const cpu = v.getUint32(pos + 4, true);
    const end = Math.min(pos + 12 + v.getUint32(pos + 8, true), bytes.length);
    counts.set(0x1f003, (counts.get(0x1f003) ?? 0) + 1);
    const out = merged.get(cpu) ?? [];
    merged.set(cpu, out);
    for (pos += 12; pos < end;) {
      const hdr = v.getUint32(pos, true);
      const id = hdr & 0x0fffffff;
      const n = (hdr >>> 28) & 7;
      const c = hdr >>> 31;
      const size = 4 + 8 * c + 4 * n;
      if (pos + size > end) break;
      counts.set(id, (counts.get(id) ?? 0) + 1);
      const before = last.get(cpu) ?? null;
      if (c) last.set(cpu, v.getBigUint64(pos + 4, true));
      const tsc = last.get(cpu) ?? null;
      const words = Array.from({ length: n }, (_, i) => v.getUint32(pos + 4 + 8 * c + 4 * i, true));
      pos += size;
      if (id === 0x1f001 && c && n >= 4) {
        let first = (BigInt(words[3]) << 32n) | BigInt(words[2]);
        if (first > tsc!) first = tsc!;
        if (before !== null && first < before) first = before;
        // The second time (0x1f032, at its own TSC) carries the same payload.
        out.push({ id, tsc: first, words }, { id: 0x1f032, tsc, words });
      } else if (
        ((id & 0x0ffff00f) === 0x00021001 && n >= 1) ||
        ((id === 0x28002 || id === 0x41002) && n >= 1) ||
        isPiRecord(id) ||
        user.has(id)
      )
        out.push({ id, tsc, words });
    }
    pos = end;
  }
  return { merged, counts };
}

function compare(bytes: Uint8Array, userIds: UserIdMapping[] = []): void {
  const want = reference(
    bytes,
    new Set(userIds.filter((u) => u.kind !== 'ignore').map((u) => u.id)),
  );
  const merged = new Map<number, (Rec & { rel: number })[]>();
  const { stats, tscBase, errors } = readTraceBytes(
    bytes,
    'x',
    {
      record(cpu, id, tsc, words, n) {
        const out = merged.get(cpu) ?? [];
        merged.set(cpu, out);
        out.push({ id, tsc: null, rel: tsc, words: Array.from(words.subarray(0, n)) });
      },
    },
    { userIds, hash: false },
  );
  assert.deepEqual(errors, []);
  for (const [cpu, recs] of want.merged) {
    const got = (merged.get(cpu) ?? []).map(({ rel, ...r }) => {
      // Relative TSCs are whole cycle counts (-Infinity: no TSC yet on this pCPU).
      assert.ok(Number.isInteger(rel) || rel === -Infinity, `TSC ${rel} is not a whole number`);
      return { ...r, tsc: rel === -Infinity ? null : tscBase + BigInt(rel) };
    });
    assert.deepEqual(got, recs, `pCPU ${cpu}: merged records`);
  }
  const counts: Record<string, number> = {};
  for (const [id, c] of [...want.counts].sort((a, b) => a[0] - b[0]))
    counts[`0x${id.toString(16).padStart(8, '0')}`] = c;
  assert.deepEqual(stats.eventCounts, counts);
}

for (const dump of DUMPS) {
  test(`${dump}: the cursors hand the merge the reference walk's records, per pCPU in file order`, () => {
    compare(readFileSync(dumpPath(dump)));
  });
}

test('user-mapped HVM ids (counted in the hot loop otherwise) go to the merge', () => {
  const bytes = readFileSync(dumpPath('pvh-all.bin'));
  const userIds: UserIdMapping[] = [
    {
      id: 0x00081102,
      kind: 'list-add',
      dom: { word: 1, shift: 0, bits: 16 },
      vcpu: { word: 1, shift: 16, bits: 16 },
    },
  ];
  compare(bytes, userIds);
});

test('TSCs above 2^53 keep every cycle (the same dump moved 2^60 cycles later)', () => {
  const bytes = new Uint8Array(readFileSync(dumpPath('dom0-all.bin')));
  const v = new DataView(bytes.buffer);
  const shift = 1n << 60n;
  const orig = readTraceBytes(bytes.slice(), 'x', { record() {} }, { hash: false }).stats;
  for (let pos = 0; pos + 12 <= bytes.length;) {
    const end = pos + 12 + v.getUint32(pos + 8, true);
    for (pos += 12; pos < end;) {
      const hdr = v.getUint32(pos, true);
      const c = hdr >>> 31;
      if (c) v.setBigUint64(pos + 4, v.getBigUint64(pos + 4, true) + shift, true);
      pos += 4 + 8 * c + 4 * ((hdr >>> 28) & 7);
    }
  }
  const moved = readTraceBytes(bytes, 'x', { record() {} }, { hash: false }).stats;
  assert.ok(BigInt(moved.firstTsc!) > 2n ** 53n);
  assert.equal(BigInt(moved.firstTsc!), BigInt(orig.firstTsc!) + shift);
  assert.equal(BigInt(moved.lastTsc!), BigInt(orig.lastTsc!) + shift);
  compare(bytes);
});
