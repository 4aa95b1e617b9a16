import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanWindows } from '../../../main/trace/windows';
import { CPU_CHANGE_HEADER } from '../../../main/trace/format';

/** A dump of CPU_CHANGE headers, each followed by `size` bytes of 4-byte records. */
function dump(windows: { cpu: number; size: number }[]): Uint8Array {
  const bytes = new Uint8Array(windows.reduce((s, w) => s + 12 + w.size, 0));
  const v = new DataView(bytes.buffer);
  let pos = 0;
  for (const w of windows) {
    v.setUint32(pos, CPU_CHANGE_HEADER, true);
    v.setUint32(pos + 4, w.cpu, true);
    v.setUint32(pos + 8, w.size, true);
    pos += 12 + w.size;
  }
  return bytes;
}

function scan(bytes: Uint8Array) {
  let requested = 0;
  const got = scanWindows(
    {
      size: bytes.length,
      read(into, offset, length, position) {
        requested += length;
        const n = Math.max(0, Math.min(length, bytes.length - position));
        into.set(bytes.subarray(position, position + n), offset);
        return n;
      },
    },
    bytes.length,
  );
  return { ...got, requested };
}

test('big windows: each header read alone, not a 64 KiB buffer per window; same chain', () => {
  const windows = Array.from({ length: 60 }, (_, i) => ({ cpu: i % 3, size: 65536 }));
  const bytes = dump(windows);
  const s = scan(bytes);
  assert.deepEqual(s.errors, []);
  assert.equal(s.windows, 60);
  assert.deepEqual(s.cpus, [0, 1, 2]);
  assert.deepEqual([...s.perCpuWindows.subarray(0, 3)], [20, 20, 20]);
  assert.deepEqual([...s.firstWindow.subarray(0, 4)], [0, 65548, 2 * 65548, -1]);
  assert.equal(s.validEnd, bytes.length);
  // The first read is a buffer (the first window's size is unknown), the rest 12 bytes each.
  assert.ok(s.requested < 65536 + 60 * 12, `${s.requested} bytes requested`);
});

test('small and big windows mixed: the same windows as a plain walk', () => {
  const windows = Array.from({ length: 200 }, (_, i) => ({
    cpu: (i * 7) % 5,
    size: i % 9 === 0 ? 8192 : 4 * (i % 13),
  }));
  const bytes = dump(windows);
  const s = scan(bytes);
  assert.deepEqual(s.errors, []);
  assert.equal(s.windows, 200);
  const per = [0, 0, 0, 0, 0];
  for (const w of windows) per[w.cpu]++;
  assert.deepEqual([...s.perCpuWindows.subarray(0, 5)], per);
  // A bad header right after a big window is still found.
  const bad = dump([
    { cpu: 0, size: 8192 },
    { cpu: 1, size: 8 },
  ]);
  bad[8192 + 12] ^= 0xff;
  const b = scan(bad);
  assert.equal(b.validEnd, 8192 + 12);
  assert.equal(b.errors[0].kind, 'bad-window-header');
});
