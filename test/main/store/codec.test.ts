import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeSeries, encodeSeries } from '../../../main/store/codec';
import { dtypeOf, type AnyTypedArray } from '../../../shared/results';

/** Encodes and decodes `a`; asserts the bytes come back identical; returns the codec used. */
function roundTrip(a: AnyTypedArray): string {
  const { codec, data } = encodeSeries(a);
  // Through a Buffer at an odd offset, as SQLite may hand a BLOB back unaligned.
  const pad = Buffer.alloc(data.byteLength + 1);
  pad.set(data, 1);
  const back = decodeSeries(codec, dtypeOf(a), pad.subarray(1), a.length);
  assert.equal(back.constructor, a.constructor);
  assert.deepEqual(
    Buffer.from(back.buffer, back.byteOffset, back.byteLength),
    Buffer.from(a.buffer, a.byteOffset, a.byteLength),
  );
  return codec;
}

describe('series codec', () => {
  it('run-length codes long runs and keeps the bytes exact', () => {
    const zeros = new Uint32Array(100_000);
    zeros.fill(7, 40_000, 40_010);
    assert.equal(roundTrip(zeros), 'rle');
    assert.ok(encodeSeries(zeros).data.byteLength < 64);
    const f = new Float64Array(10_000).fill(Infinity);
    f.fill(-0, 10, 20);
    f.fill(0, 20, 30);
    f.fill(NaN, 30, 40);
    assert.equal(roundTrip(f), 'rle', 'floats compare bit for bit: -0 and 0 are two runs');
    assert.equal(roundTrip(new Float32Array(5000).fill(1.5)), 'rle');
  });

  it('differences integer ramps first (vCPU ids 0..127 repeated, domain ids in runs)', () => {
    const ids = new Uint32Array(128 * 500).map((_, i) => i % 128);
    const doms = new Uint32Array(128 * 500).map((_, i) => Math.floor(i / 128));
    assert.equal(roundTrip(ids), 'drle');
    assert.equal(roundTrip(doms), 'rle');
    // Wrapping differences in the array's own width: a descending u8 / u16 / i32 ramp.
    assert.equal(roundTrip(new Uint8Array(3000).map((_, i) => 255 - (i % 256))), 'drle');
    assert.equal(roundTrip(new Uint16Array(3000).map((_, i) => (65535 - 3 * i) & 0xffff)), 'drle');
    assert.equal(roundTrip(new Int32Array(3000).map((_, i) => -5 * i + 2 ** 31 - 1)), 'drle');
    // Odd run counts of 1- and 2-byte values: the run lengths stay 4-byte aligned.
    assert.equal(roundTrip(new Uint8Array(999).map((_, i) => (i % 333 < 2 ? 1 : 0))), 'rle');
  });

  it('leaves data without runs raw, and empty arrays too', () => {
    const noisy = new Float64Array(10_000).map((_, i) => Math.sin(i) * 1e6);
    assert.equal(roundTrip(noisy), 'raw');
    const perm = new Uint32Array(10_000).map((_, i) => (i * 7919) % 10_007);
    assert.equal(roundTrip(perm), 'raw');
    assert.equal(roundTrip(new Uint32Array(0)), 'raw');
    assert.equal(roundTrip(new Uint8Array(3)), 'raw', 'too short to gain anything');
  });

  it('refuses unknown codecs and damaged BLOBs', () => {
    const { data } = encodeSeries(new Uint32Array(1000));
    assert.throws(() => decodeSeries('zstd', 'u32', data, 1000), /unknown codec "zstd"/);
    assert.throws(() => decodeSeries('rle', 'u32', data, 999), /corrupt run-length series/);
    assert.throws(() => decodeSeries('rle', 'u32', data.subarray(0, 9), 1000), /corrupt/);
    assert.throws(() => decodeSeries('drle', 'f64', data, 500), /corrupt|drle on a f64/);
  });
});
