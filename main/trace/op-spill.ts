/**
 * Ops staged until the end of a dump without holding them in memory: which domains are HVM and PI,
 * and the clock, are only known once the whole dump is read, so the reconstruction keeps its ops
 * until then. The first `memBlocks` blocks stay in memory (most dumps never leave them); every
 * later full block is appended to a temporary columnar file (code, t, a, b, c per block) and read
 * back one block at a time, so memory is a few blocks whatever the dump's size. The file is
 * removed by `release`, and at once on POSIX systems (it stays readable through its descriptor).
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpCode } from '../../shared/ops';
import { newOpBlock, setOp, type OpColumns, type OpStage } from './op-columns';

/** Ops per block: 64 Ki ops = 1.6 MB of columns. */
export const SPILL_BLOCK = 1 << 16;

const columns = (blk: OpColumns) => [blk.code, blk.t, blk.a, blk.b, blk.c];

export interface SpillOptions {
  /** Blocks kept in memory before the rest goes to the file (default 8: 512 Ki ops, 13 MB). */
  memBlocks?: number;
  /** Folder for the temporary file (default the OS temp folder). */
  dir?: string;
}

export class SpillOpBlocks implements OpStage {
  private readonly mem: OpColumns[] = [];
  private cur: OpColumns = newOpBlock(SPILL_BLOCK);
  private i = 0;
  private fd = -1;
  private tmp: string | null = null;
  /** Whole blocks in the file (ops at [memBlocks * SPILL_BLOCK, ...) in op order). */
  private spilled = 0;
  /** Bytes written so far (a plain number: exact far past 2^32). */
  private fileBytes = 0;
  private readonly memBlocks: number;
  length = 0;

  constructor(private readonly opts: SpillOptions = {}) {
    this.memBlocks = opts.memBlocks ?? 8;
  }

  op(code: OpCode, t: number, a: number, b: number, c: number): void {
    setOp(this.cur, this.i++, code, t, a, b, c);
    this.length++;
    if (this.i === SPILL_BLOCK) this.blockFull();
  }

  /** Bytes in the temporary file (0 while every op fits in memory). */
  get spilledBytes(): number {
    return this.fileBytes;
  }

  private blockFull(): void {
    this.i = 0;
    if (this.mem.length < this.memBlocks) {
      this.mem.push(this.cur);
      this.cur = newOpBlock(SPILL_BLOCK);
      return;
    }
    if (this.fd < 0) this.openFile();
    for (const col of columns(this.cur)) {
      const bytes = new Uint8Array(col.buffer, col.byteOffset, col.byteLength);
      let done = 0;
      while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
      this.fileBytes += bytes.length;
    }
    this.spilled++;
  }

  private openFile(): void {
    const dir = mkdtempSync(join(this.opts.dir ?? tmpdir(), 'xen-pi-lab-ops-'));
    const file = join(dir, 'ops.bin');
    this.fd = openSync(file, 'w+');
    this.tmp = dir;
    if (process.platform !== 'win32') this.removeFile();
  }

  private removeFile(): void {
    if (this.tmp === null) return;
    try {
      unlinkSync(join(this.tmp, 'ops.bin'));
    } catch {
      /* already gone */
    }
    rmSync(this.tmp, { recursive: true, force: true });
    this.tmp = null;
  }

  *parts(): Generator<[OpColumns, number]> {
    for (const blk of this.mem) yield [blk, SPILL_BLOCK];
    if (this.spilled > 0) {
      const blk = newOpBlock(SPILL_BLOCK);
      let pos = 0;
      for (let k = 0; k < this.spilled; k++) {
        for (const col of columns(blk)) {
          const bytes = new Uint8Array(col.buffer, col.byteOffset, col.byteLength);
          let got = 0;
          while (got < bytes.length) {
            const n = readSync(this.fd, bytes, got, bytes.length - got, pos + got);
            if (n === 0) throw new Error('the temporary op file ended early');
            got += n;
          }
          pos += bytes.length;
        }
        yield [blk, SPILL_BLOCK];
      }
    }
    if (this.i > 0) yield [this.cur, this.i];
  }

  release(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    this.removeFile();
    this.mem.length = 0;
    this.cur = newOpBlock(0);
    this.i = 0;
    this.spilled = 0;
    this.fileBytes = 0;
    this.length = 0;
  }
}
