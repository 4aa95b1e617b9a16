type Typed = Float64Array | Int32Array | Uint32Array | Uint8Array;

/** A copy of `a` in a buffer twice as long (the cold path of every growing typed array). */
export function doubled<T extends Typed>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(Math.max(2, a.length * 2));
  b.set(a);
  return b;
}

/** Append-only typed-array columns that double their capacity (amortised O(1) appends). */
export class GrowF64 {
  a: Float64Array;
  n = 0;
  constructor(cap = 1024) {
    this.a = new Float64Array(cap);
  }
  push(v: number): number {
    if (this.n === this.a.length) this.a = doubled(this.a);
    this.a[this.n] = v;
    return this.n++;
  }
  /** A compact copy (the backing buffer may be twice as large). */
  take(): Float64Array {
    return this.a.slice(0, this.n);
  }
}

export class GrowU32 {
  a: Uint32Array;
  n = 0;
  constructor(cap = 1024) {
    this.a = new Uint32Array(cap);
  }
  push(v: number): number {
    if (this.n === this.a.length) this.a = doubled(this.a);
    this.a[this.n] = v;
    return this.n++;
  }
  take(): Uint32Array {
    return this.a.slice(0, this.n);
  }
}

/** A step function of time: (t, value) pairs; a change at the same t overwrites the last one. */
export class StepLog {
  readonly t = new GrowF64(64);
  readonly v = new GrowF64(64);
  set(t: number, v: number): void {
    const n = this.t.n;
    if (n > 0 && this.t.a[n - 1] === t) {
      this.v.a[n - 1] = v;
      if (n > 1 && this.v.a[n - 2] === v) {
        this.t.n--;
        this.v.n--;
      }
      return;
    }
    if (n > 0 && this.v.a[n - 1] === v) return;
    this.t.push(t);
    this.v.push(v);
  }
}

/** Value of a step function (times ascending) at time t: the last change at or before t. */
export function stepAt(ts: Float64Array, vs: ArrayLike<number>, t: number, before: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? before : vs[lo - 1];
}

/**
 * Chunk sizes of the append-only logs below: the first chunk is small (short runs stay small),
 * each next one twice as large up to CHUNK_MAX entries. A chunk is never copied while the log
 * grows (a doubling array copies every entry once more and holds old + new while it does); the
 * one copy is the compact array built by `take`.
 */
const CHUNK_MIN = 1024;
const CHUNK_MAX = 1 << 16;

function concatU32(chunks: Uint32Array[], n: number): Uint32Array {
  const out = new Uint32Array(n);
  let o = 0;
  for (const c of chunks) {
    const k = Math.min(c.length, n - o);
    out.set(k === c.length ? c : c.subarray(0, k), o);
    o += k;
  }
  return out;
}

function concatF64(chunks: Float64Array[], n: number): Float64Array {
  const out = new Float64Array(n);
  let o = 0;
  for (const c of chunks) {
    const k = Math.min(c.length, n - o);
    out.set(k === c.length ? c : c.subarray(0, k), o);
    o += k;
  }
  return out;
}

/**
 * The residency log (one row per stay of a vCPU on a list): vCPU slot, list, blocked-on pCPU,
 * time in; four columns appended together, in chunks.
 */
export class ResidencyLog {
  /** Rows appended. */
  n = 0;
  private i = 0;
  private cap = 0;
  private v = new Uint32Array(0);
  private p = new Uint32Array(0);
  private b = new Uint32Array(0);
  private t = new Float64Array(0);
  private readonly vs: Uint32Array[] = [];
  private readonly ps: Uint32Array[] = [];
  private readonly bs: Uint32Array[] = [];
  private readonly ts: Float64Array[] = [];

  /** Appends a row; returns its index. */
  push(v: number, p: number, b: number, t: number): number {
    let i = this.i;
    if (i === this.cap) {
      this.chunk();
      i = 0;
    }
    this.v[i] = v;
    this.p[i] = p;
    this.b[i] = b;
    this.t[i] = t;
    this.i = i + 1;
    return this.n++;
  }

  private chunk(): void {
    const cap = Math.min(CHUNK_MAX, Math.max(CHUNK_MIN, this.cap * 2));
    this.vs.push((this.v = new Uint32Array(cap)));
    this.ps.push((this.p = new Uint32Array(cap)));
    this.bs.push((this.b = new Uint32Array(cap)));
    this.ts.push((this.t = new Float64Array(cap)));
    this.cap = cap;
    this.i = 0;
  }

  takeVcpu(): Uint32Array {
    return concatU32(this.vs, this.n);
  }
  takePcpu(): Uint32Array {
    return concatU32(this.ps, this.n);
  }
  takeBlockedOn(): Uint32Array {
    return concatU32(this.bs, this.n);
  }
  takeTimeIn(): Float64Array {
    return concatF64(this.ts, this.n);
  }
}

/** Leave events of residencies (row index, time), appended in order, in chunks. */
export class LeaveLog {
  n = 0;
  private i = 0;
  private cap = 0;
  private r = new Uint32Array(0);
  private t = new Float64Array(0);
  private readonly rs: Uint32Array[] = [];
  private readonly ts: Float64Array[] = [];

  push(row: number, t: number): void {
    let i = this.i;
    if (i === this.cap) {
      this.chunk();
      i = 0;
    }
    this.r[i] = row;
    this.t[i] = t;
    this.i = i + 1;
    this.n++;
  }

  private chunk(): void {
    const cap = Math.min(CHUNK_MAX, Math.max(CHUNK_MIN, this.cap * 2));
    this.rs.push((this.r = new Uint32Array(cap)));
    this.ts.push((this.t = new Float64Array(cap)));
    this.cap = cap;
    this.i = 0;
  }

  /** Per residency row (rows rows in all), its leave time, Infinity if it never left. */
  scatter(rows: number): Float64Array {
    const out = new Float64Array(rows).fill(Infinity);
    let left = this.n;
    for (let c = 0; c < this.rs.length && left > 0; c++) {
      const r = this.rs[c];
      const t = this.ts[c];
      const k = Math.min(r.length, left);
      for (let i = 0; i < k; i++) out[r[i]] = t[i];
      left -= k;
    }
    return out;
  }
}
