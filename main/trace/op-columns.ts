/** The compact op stream (shared/ops.ts codes) as parallel typed arrays: stored as run series. */
import { compactToOp, opToCompact, type Op, type OpCode, type OpSink } from '../../shared/ops';
import type { SeriesSet } from '../../shared/results';

export interface OpColumns {
  code: Uint8Array;
  /** ns since the trace start */
  t: Float64Array;
  a: Int32Array;
  b: Int32Array;
  c: Int32Array;
}

export const OP_SERIES_NAMES = ['ops.code', 'ops.t', 'ops.a', 'ops.b', 'ops.c'] as const;

/** Empty columns for `n` ops. */
export const newOpBlock = (n: number): OpColumns => ({
  code: new Uint8Array(n),
  t: new Float64Array(n),
  a: new Int32Array(n),
  b: new Int32Array(n),
  c: new Int32Array(n),
});

/** Writes op `i` of a block. */
export function setOp(
  blk: OpColumns,
  i: number,
  code: OpCode,
  t: number,
  a: number,
  b: number,
  c: number,
): void {
  blk.code[i] = code;
  blk.t[i] = t;
  blk.a[i] = a;
  blk.b[i] = b;
  blk.c[i] = c;
}

/** Ops kept in order until the end of a dump, walked back in blocks (OpBlocks, SpillOpBlocks). */
export interface OpStage extends OpSink {
  readonly length: number;
  /** The blocks with their used lengths, in order (a block may be reused by the next step). */
  parts(): Iterable<[OpColumns, number]>;
  release(): void;
}

export class OpColumnsBuilder implements OpSink {
  private cap: number;
  length = 0;
  code: Uint8Array;
  t: Float64Array;
  a: Int32Array;
  b: Int32Array;
  c: Int32Array;

  /** `capacity`: the exact op count when known (then `finish` hands the arrays over uncopied). */
  constructor(capacity = 256) {
    const n = (this.cap = capacity);
    this.code = new Uint8Array(n);
    this.t = new Float64Array(n);
    this.a = new Int32Array(n);
    this.b = new Int32Array(n);
    this.c = new Int32Array(n);
  }

  op(code: OpCode, t: number, a: number, b: number, c: number): void {
    if (this.length === this.cap) this.grow();
    const i = this.length++;
    this.code[i] = code;
    this.t[i] = t;
    this.a[i] = a;
    this.b[i] = b;
    this.c[i] = c;
  }

  private grow(): void {
    this.cap = Math.max(256, Math.ceil(this.cap * 1.5));
    const g = <T extends Uint8Array | Float64Array | Int32Array>(x: T, n: T): T => {
      n.set(x);
      return n;
    };
    this.code = g(this.code, new Uint8Array(this.cap));
    this.t = g(this.t, new Float64Array(this.cap));
    this.a = g(this.a, new Int32Array(this.cap));
    this.b = g(this.b, new Int32Array(this.cap));
    this.c = g(this.c, new Int32Array(this.cap));
  }

  /** Drops the arrays (the caller copied what it needs). */
  release(): void {
    this.cap = 0;
    this.length = 0;
    this.code = new Uint8Array(0);
    this.t = new Float64Array(0);
    this.a = new Int32Array(0);
    this.b = new Int32Array(0);
    this.c = new Int32Array(0);
  }

  finish(): OpColumns {
    const n = this.length;
    if (n === this.cap) return { code: this.code, t: this.t, a: this.a, b: this.b, c: this.c };
    return {
      code: this.code.slice(0, n),
      t: this.t.slice(0, n),
      a: this.a.slice(0, n),
      b: this.b.slice(0, n),
      c: this.c.slice(0, n),
    };
  }
}

const BLOCK = 1 << 16;

/**
 * Ops staged in fixed blocks: appending never copies what is already there (a dump can rebuild
 * tens of millions of ops), and `forEach` walks them in order.
 */
export class OpBlocks implements OpStage {
  private blocks: OpColumns[] = [];
  private sizes: number[] = [];
  private cur: OpColumns | null = null;
  private i = 0;
  length = 0;

  private size = 0;

  op(code: OpCode, t: number, a: number, b: number, c: number): void {
    if (this.i === this.size) {
      // Small first blocks: most dumps rebuild few ops.
      const n = (this.size = Math.min(BLOCK, this.size === 0 ? 512 : this.size * 4));
      this.cur = newOpBlock(n);
      this.blocks.push(this.cur);
      this.sizes.push(n);
      this.i = 0;
    }
    setOp(this.cur!, this.i++, code, t, a, b, c);
    this.length++;
  }

  /** The blocks with their used lengths, in order. */
  *parts(): Generator<[OpColumns, number]> {
    for (let k = 0; k < this.blocks.length; k++)
      yield [this.blocks[k], k === this.blocks.length - 1 ? this.i : this.sizes[k]];
  }

  release(): void {
    this.blocks = [];
    this.sizes = [];
    this.cur = null;
    this.i = 0;
    this.size = 0;
    this.length = 0;
  }
}

export function columnsFromOps(ops: Iterable<Op>): OpColumns {
  const b = new OpColumnsBuilder();
  for (const o of ops) {
    const [code, t, x, y, z] = opToCompact(o);
    b.op(code, t, x, y, z);
  }
  return b.finish();
}

export function* opsFromColumns(cols: OpColumns): Generator<Op> {
  for (let i = 0; i < cols.code.length; i++)
    yield compactToOp(cols.code[i] as OpCode, cols.t[i], cols.a[i], cols.b[i], cols.c[i]);
}

export const isOpColumns = (x: unknown): x is OpColumns =>
  typeof x === 'object' && x !== null && (x as OpColumns).code instanceof Uint8Array;

/** An op stream as the named series a trace experiment stores (OP_SERIES_NAMES). */
export function opsToSeries(ops: OpColumns): SeriesSet {
  return { 'ops.code': ops.code, 'ops.t': ops.t, 'ops.a': ops.a, 'ops.b': ops.b, 'ops.c': ops.c };
}

/** The op stream kept in stored series, or null when they are missing or of the wrong types. */
export function opsFromSeries(s: SeriesSet): OpColumns | null {
  const { 'ops.code': code, 'ops.t': t, 'ops.a': a, 'ops.b': b, 'ops.c': c } = s;
  if (!(
    code instanceof Uint8Array &&
    t instanceof Float64Array &&
    a instanceof Int32Array &&
    b instanceof Int32Array &&
    c instanceof Int32Array
  ))
    return null;
  return { code, t, a, b, c };
}
