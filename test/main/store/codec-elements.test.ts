/**
 * Reading one element of a stored series (codec-elements.ts) gives what decoding the whole
 * series gives at that index, for every codec and element width, wrapping included.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeSeries, encodeSeries } from '../../../main/store/codec';
import { elementReader } from '../../../main/store/codec-elements';
import { dtypeOf, type AnyTypedArray } from '../../../shared/results';

/** Every element of `a` read one by one equals the decoded array's; returns the codec used. */
function sameElements(a: AnyTypedArray, worth?: number): string {
  const { codec, data } = encodeSeries(a, worth);
  // Through a Buffer at an odd offset, as SQLite may hand a BLOB back unaligned.
  const pad = Buffer.alloc(data.byteLength + 1);
  pad.set(data, 1);
  const bytes = pad.subarray(1);
  const whole = decodeSeries(codec, dtypeOf(a), bytes, a.length);
  const at = elementReader(codec, dtypeOf(a), bytes, a.length);
  for (let i = 0; i < a.length; i++)
    if (!Object.is(at(i), whole[i]))
      assert.fail(`${codec} ${dtypeOf(a)}: element ${i} read ${at(i)}, decoded ${whole[i]}`);
  return codec;
}

describe('series elements', () => {
  it('reads raw, rle and drle series of every width like decoding them', () => {
    const n = 20_000;
    const cases: [AnyTypedArray, string][] = [
      [new Uint32Array(n).map((_, i) => Math.imul(i ^ (i >>> 7), 0x9e3779b1) >>> 0), 'raw'],
      [new Uint32Array(n).map((_, i) => Math.floor(i / 128)), 'rle'],
      [new Uint32Array(n).map((_, i) => i % 128), 'drle'],
      // Wrapping differences: descending ramps through 0 in each width.
      [new Uint32Array(n).map((_, i) => (5 - (i % 300)) >>> 0), 'drle'],
      [new Int32Array(n).map((_, i) => 1000 - 3 * (i % 4000)), 'drle'],
      [new Uint16Array(n).map((_, i) => (7 - (i % 500)) & 0xffff), 'drle'],
      [new Uint8Array(n).map((_, i) => (3 - (i % 200)) & 0xff), 'drle'],
      [new Uint32Array(n).map((_, i) => 4_000_000_000 + (i % 1000) * 250_000), 'drle'],
      [new Float64Array(n).map((_, i) => (i % 7 === 0 ? Math.floor(i / 50) : Infinity)), 'rle'],
      [new Float64Array(n).map((_, i) => (i < 10 ? -0 : Math.floor(i / 64) * 1.5)), 'rle'],
      [new Float32Array(n).map((_, i) => Math.floor(i / 30) / 3), 'rle'],
    ];
    for (const [a, codec] of cases) assert.equal(sameElements(a), codec, dtypeOf(a));
    // Leave times of a saved residency index: coded whenever smaller at all.
    const sparse = new Float64Array(n).map((_, i) => ((i * 7919) % 5 === 0 ? i : Infinity));
    assert.equal(sameElements(sparse, 1), 'rle');
    assert.equal(sameElements(new Uint8Array(0)), 'raw');
  });

  it('refuses a cut BLOB and an unknown codec', () => {
    const { data } = encodeSeries(new Uint32Array(1000).fill(3));
    assert.throws(() => elementReader('rle', 'u32', data.subarray(0, data.length - 4), 1000));
    assert.throws(() => elementReader('rle', 'u32', data, 999), /expected 999/);
    assert.throws(() => elementReader('zstd', 'u32', data, 1000), /unknown codec/);
  });
});
