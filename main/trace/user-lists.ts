/**
 * List occupancy from the list add / delete records of a user's id mapping (private builds with
 * their own ids; docs/trace-import.md, "Decoder table and user id mapping").
 */
import { readField, type UserIdMapping } from './decoder';

export interface ObservedLists {
  adds: number;
  deletes: number;
  /** Deletes of a vCPU the list records never added. */
  unmatchedDeletes: number;
  maxLength: number;
  perPcpuMax: Record<string, number>;
}

export class UserListTracker {
  private readonly listOf = new Map<number, number>();
  private listLen = new Int32Array(64);
  readonly observed: ObservedLists = {
    adds: 0,
    deletes: 0,
    unmatchedDeletes: 0,
    maxLength: 0,
    perPcpuMax: {},
  };

  /** One record of mapping `u`, written by pCPU `cpu` (the list's pCPU unless `u.pcpu`). */
  record(u: UserIdMapping, cpu: number, words: Uint32Array, n: number): void {
    if (!u.dom || !u.vcpu) return;
    const w = words.subarray(0, n);
    const key = readField(w, u.dom) * 65536 + readField(w, u.vcpu);
    const p = u.pcpu ? readField(w, u.pcpu) : cpu;
    if (p >= 1 << 16) return;
    if (p >= this.listLen.length) {
      const bigger = new Int32Array(Math.max(p + 1, this.listLen.length * 2));
      bigger.set(this.listLen);
      this.listLen = bigger;
    }
    const o = this.observed;
    if (u.kind === 'list-add') {
      const prev = this.listOf.get(key);
      if (prev !== undefined) this.listLen[prev]--;
      this.listOf.set(key, p);
      const len = ++this.listLen[p];
      o.adds++;
      if (len > (o.perPcpuMax[p] ?? 0)) o.perPcpuMax[p] = len;
      if (len > o.maxLength) o.maxLength = len;
    } else if (u.kind === 'list-delete') {
      const prev = this.listOf.get(key);
      o.deletes++;
      if (prev === undefined) o.unmatchedDeletes++;
      else {
        this.listLen[prev]--;
        this.listOf.delete(key);
      }
    }
  }
}
