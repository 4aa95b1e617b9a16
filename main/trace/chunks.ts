/**
 * The file as fixed-size chunks shared by the per-pCPU cursors. Cursors of one polling pass read
 * the same few chunks, so each chunk is normally read from disk once; memory is a handful of
 * chunks whatever the dump's size. Chunk k holds bytes [k*size, (k+1)*size + overlap), so a
 * record (at most 40 bytes) that starts in chunk k can be read from it whole.
 * Chunks read in file order also feed the SHA-256, so the dump is not read twice to hash it.
 */
import { createHash, type Hash } from 'node:crypto';
import type { ByteSource } from './source';

const OVERLAP = 64;

export class ChunkCache {
  readonly chunkBytes: number;
  private readonly cache = new Map<number, Uint32Array>();
  /** Cursors currently reading each chunk: a pinned chunk is never evicted, so its buffer can be reused. */
  private readonly pins = new Map<number, number>();
  private readonly spare: ArrayBuffer[] = [];
  private readonly hash: Hash = createHash('sha256');
  private hashedUpTo = 0;
  /** Highest byte any cursor has reached (progress). */
  reached = 0;
  readsFromDisk = 0;
  /** Time spent in `src.read` (ms). */
  ioMs = 0;

  constructor(
    private readonly src: ByteSource,
    readonly fileBytes: number,
    chunkBytes: number,
    private readonly maxChunks: number,
    private readonly hashing: boolean,
    private readonly onLoad?: () => void,
  ) {
    this.chunkBytes = Math.max(1024, chunkBytes - (chunkBytes % 8));
  }

  /** Words of chunk `index`, pinned until `release(index)`. */
  acquire(index: number): Uint32Array {
    this.pins.set(index, (this.pins.get(index) ?? 0) + 1);
    return this.get(index);
  }

  release(index: number): void {
    const n = (this.pins.get(index) ?? 0) - 1;
    if (n > 0) this.pins.set(index, n);
    else this.pins.delete(index);
  }

  private get(index: number): Uint32Array {
    let c = this.cache.get(index);
    if (c) {
      // Refresh its place in the LRU order (Map keeps insertion order).
      this.cache.delete(index);
      this.cache.set(index, c);
      return c;
    }
    const start = index * this.chunkBytes;
    const len = Math.min(this.chunkBytes + OVERLAP, this.fileBytes - start);
    // Small files get small buffers (the fuzzer reads thousands of them). Plain arithmetic:
    // sizes and offsets pass 2^31 (bitwise operators would wrap them to 32 bits).
    const full = Math.min(this.chunkBytes + OVERLAP, Math.floor((this.fileBytes + 7) / 4) * 4);
    // Fresh 4 MB buffers cost page faults on every chunk; evicted ones are reused.
    const ab = this.spare.pop() ?? new ArrayBuffer(full);
    const view = new Uint8Array(ab, 0, len);
    let got = 0;
    const t0 = performance.now();
    while (got < len) {
      const n = this.src.read(view, got, len - got, start + got);
      if (n === 0) break;
      got += n;
    }
    this.ioMs += performance.now() - t0;
    this.readsFromDisk++;
    c = new Uint32Array(ab, 0, (len + 3) >>> 2);
    if (this.hashing && start === this.hashedUpTo) {
      const own = Math.min(this.chunkBytes, this.fileBytes - start);
      this.hash.update(new Uint8Array(ab, 0, own));
      this.hashedUpTo += own;
    }
    if (start + len > this.reached) this.reached = start + len;
    this.cache.set(index, c);
    // Up to maxChunks unpinned chunks besides the pinned ones (one per cursor at most).
    const cap = this.maxChunks + this.pins.size;
    if (this.cache.size > cap) {
      for (const [k, v] of this.cache) {
        if (this.cache.size <= cap) break;
        if (this.pins.has(k)) continue;
        this.cache.delete(k);
        if (this.spare.length < 4) this.spare.push(v.buffer as ArrayBuffer);
      }
    }
    this.onLoad?.();
    return c;
  }

  /** SHA-256 of the whole file, reading whatever the cursors did not read in order. */
  sha256(): string {
    const buf = Buffer.allocUnsafe(1 << 22);
    while (this.hashedUpTo < this.fileBytes) {
      const n = this.src.read(
        buf,
        0,
        Math.min(buf.length, this.fileBytes - this.hashedUpTo),
        this.hashedUpTo,
      );
      if (n === 0) break;
      this.hash.update(buf.subarray(0, n));
      this.hashedUpTo += n;
    }
    return this.hash.digest('hex');
  }
}
