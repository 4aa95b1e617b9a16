/**
 * Bad input never crashes or hangs the reader: every truncation point of a small real dump,
 * seeded random bit flips, absurd and zero window sizes, extra-word counts running past a window.
 * Each case must return, report errors with byte offsets inside the file, and keep what came
 * before the damage.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readTraceBytes, type ReadResult } from '../../../main/trace/reader';
import { Reconstructor } from '../../../main/trace/reconstruct';
import { dumpPath } from './fixtures';

/** The first windows of a real dump, about 3 KB, cut at a window boundary. */
function smallDump(): { bytes: Uint8Array; boundaries: number[] } {
  const all = readFileSync(dumpPath('dom0-idle-sched.bin'));
  const boundaries = [0];
  let pos = 0;
  while (pos < 3000) {
    pos += 12 + all.readUInt32LE(pos + 8);
    boundaries.push(pos);
  }
  return { bytes: new Uint8Array(all.subarray(0, pos)), boundaries };
}

function read(bytes: Uint8Array): ReadResult {
  const r = readTraceBytes(bytes, 'fuzz', new Reconstructor('post'));
  for (const e of r.errors) {
    assert.ok(
      e.offset >= 0 && e.offset <= bytes.length,
      `error offset ${e.offset} outside the file`,
    );
    assert.match(e.message, /offset \d+/);
  }
  return r;
}

/** xorshift32: deterministic. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

test('every truncation point of a small real dump: an error at the cut, everything before it kept', () => {
  const { bytes, boundaries } = smallDump();
  const full = read(bytes);
  assert.deepEqual(full.errors, []);
  let prevRecords = 0;
  for (let cut = 0; cut <= bytes.length; cut++) {
    const r = read(bytes.subarray(0, cut));
    const atBoundary = boundaries.includes(cut);
    if (atBoundary) {
      assert.deepEqual(r.errors, [], `cut at window boundary ${cut}`);
    } else {
      assert.ok(r.errors.length > 0, `cut at ${cut} went unnoticed`);
      assert.ok(r.errors.every((e) => e.offset < cut));
      assert.ok(
        r.errors.some((e) => e.kind === 'short-window' || e.kind === 'truncated-header'),
        `cut at ${cut}: ${r.errors.map((e) => e.kind).join()}`,
      );
    }
    assert.ok(r.stats.records >= prevRecords, `cut ${cut} lost records decoded before it`);
    prevRecords = r.stats.records;
  }
  assert.equal(prevRecords, full.stats.records);
});

test('random bit flips (seeded): no crash, no hang, offsets inside the file', () => {
  const { bytes } = smallDump();
  const next = rng(0x5eed);
  for (let i = 0; i < 1000; i++) {
    const b = bytes.slice();
    const flips = 1 + Math.floor(next() * 8);
    for (let f = 0; f < flips; f++) {
      const bit = Math.floor(next() * b.length * 8);
      b[bit >> 3] ^= 1 << (bit & 7);
    }
    read(b);
  }
});

const u32 = (words: number[]) => new Uint8Array(new Uint32Array(words.map((w) => w >>> 0)).buffer);
const CC = 0x2001f003;
const RUN = 0x90021101; // runnable->running, TSC, 1 word
const rec = (tsc: number, w: number) => [RUN, tsc, 0, w];

test('absurd window sizes: a window past the end is a short last window, records in it kept', () => {
  const r = read(u32([CC, 0, 0xfffffff0, ...rec(10, 0x10000), ...rec(20, 0x10001)]));
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0].kind, 'short-window');
  assert.equal(r.errors[0].offset, 0);
  assert.equal(r.stats.records, 3);
});

test('a window size that is not whole words, a bad pCPU, a bad header: the chain stops there', () => {
  const good = [CC, 1, 16, ...rec(5, 0x10000)];
  for (const [bad, kind, offset] of [
    [[CC, 0, 6], 'unaligned-window', 36],
    [[CC, 70000, 16], 'bad-cpu', 32],
    [[0x12345678, 0, 16], 'bad-window-header', 28],
  ] as const) {
    const r = read(u32([...good, ...bad, ...rec(6, 0x10000)]));
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0].kind, kind);
    assert.equal(r.errors[0].offset, offset);
    assert.equal(r.stats.decodedBytes, 28);
    assert.equal(r.stats.records, 2, 'the good window is kept');
  }
});

test('not a xentrace file at all', () => {
  const r = read(new TextEncoder().encode('#!/bin/sh\necho this is not a trace\n'));
  assert.equal(r.errors[0].kind, 'not-xentrace');
  assert.equal(r.errors[0].offset, 0);
  assert.equal(r.stats.records, 0);
});

test('zero-length windows are legal and counted', () => {
  const r = read(u32([CC, 0, 0, CC, 1, 0, CC, 0, 16, ...rec(7, 0x10000), CC, 1, 0]));
  assert.deepEqual(r.errors, []);
  assert.equal(r.stats.windows, 4);
  assert.deepEqual(r.stats.cpus, [0, 1]);
  assert.equal(r.stats.records, 5);
});

test('an extra-word count running past its window: error at the record, the next window still read', () => {
  // 0xf... header: 7 extra words + TSC = 40 bytes in a 16-byte window.
  const r = read(u32([CC, 0, 16, 0xf0021101, 1, 0, 0x10000, CC, 0, 16, ...rec(9, 0x10001)]));
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0].kind, 'record-past-window');
  assert.equal(r.errors[0].offset, 12);
  assert.equal(r.stats.records, 3);
  assert.deepEqual(r.stats.vcpus, ['d1v1']);
});

test('a huge file of empty windows is walked without reading it whole at once', () => {
  const words: number[] = [];
  for (let i = 0; i < 20000; i++) words.push(CC, i % 3, 0);
  const r = read(u32(words));
  assert.equal(r.stats.windows, 20000);
  assert.deepEqual(r.errors, []);
});
