/**
 * A byte per vCPU, 0 until set: per domain a typed array grown on demand, found by indexing an
 * array of domains. The reconstruction looks one up for most merged records (millions per
 * dump), where a Map keyed by dom * 65536 + vcpu cost a hash lookup each.
 */
export class VcpuBytes {
  /** Indexed by domain id (< 65536). */
  private readonly doms = new Array<Uint8Array | undefined>(65536);

  get(dom: number, vcpu: number): number {
    const a = this.doms[dom];
    return a !== undefined && vcpu < a.length ? a[vcpu] : 0;
  }

  /** `dom` and `vcpu` below 65536. */
  set(dom: number, vcpu: number, value: number): void {
    let a = this.doms[dom];
    if (a === undefined || vcpu >= a.length) {
      if (value === 0) return;
      const bigger = new Uint8Array(Math.min(65536, Math.max(8, vcpu + 1, (a?.length ?? 0) * 2)));
      if (a) bigger.set(a);
      this.doms[dom] = a = bigger;
    }
    a[vcpu] = value;
  }
}
