/**
 * Seeded PRNG (xoshiro128**, seeded through splitmix32) so that the same parameters and seed give
 * byte-identical runs on every platform; Math.random is never used by the engine.
 */
export class Rng {
  /**
   * The four 32-bit state words. An Int32Array holds them unboxed (object fields holding values
   * outside the small-integer range are boxed); every operation below reads them through ToInt32,
   * so storing the same 32 bits signed or unsigned gives the same stream.
   */
  private readonly s = new Int32Array(4);

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    const st = this.s;
    st[0] = next();
    st[1] = next();
    st[2] = next();
    st[3] = next();
    if ((st[0] | st[1] | st[2] | st[3]) === 0) st[0] = 1;
  }

  /** Uniform unsigned 32-bit integer. */
  u32(): number {
    const st = this.s;
    const a = st[0];
    const b = st[1];
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    const c = st[2] ^ a;
    const d = st[3] ^ b;
    st[1] = b ^ c;
    st[0] = a ^ d;
    st[2] = c ^ t;
    st[3] = rotl(d, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Exponential with the given mean. */
  exp(mean: number): number {
    return -Math.log(1 - this.float()) * mean;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
