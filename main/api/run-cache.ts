import type { AnyTypedArray, RunResult, SeriesSet } from '../../shared/results';
import type { IndexReader } from '../store/lengths-index';
import { SavedResidency } from '../store/residency-index';
import type { Store } from '../store/store';

/**
 * Keeps the last few opened runs in memory: cursor drags and zooms query the same run many times,
 * and decoding BLOBs for each would dominate. Series load lazily, on first use by name: opening a
 * 4M-vCPU run paints its charts from the small bucketed series without first reading the
 * residency log (100+ MB) that only the list view needs. Engine query indexes cached on a
 * RunResult object live as long as it stays here, and so do the chunks of its save-time
 * list-lengths index read so far.
 */
export class RunCache {
  private entries = new Map<number, RunResult>();
  /** Per cached run, its save-time index reader (null: the run was saved without one). */
  private indexes = new WeakMap<RunResult, IndexReader | null>();
  /** Per cached run, its saved residency index (null: saved without one). */
  private residencies = new WeakMap<RunResult, SavedResidency | null>();
  constructor(
    private readonly store: Store,
    private readonly capacity = 4,
  ) {}

  get(id: number): RunResult {
    const hit = this.entries.get(id);
    if (hit) {
      this.entries.delete(id);
      this.entries.set(id, hit);
      return hit;
    }
    const { summary, timeline } = this.store.loadSummary(id);
    const run: RunResult = { summary, timeline, series: this.lazySeries(id) };
    this.entries.set(id, run);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as number;
      this.entries.delete(oldest);
    }
    return run;
  }

  forget(id: number): void {
    this.entries.delete(id);
  }

  /**
   * The run's save-time list-lengths index (main/store/lengths-index.ts), its arrays loaded on
   * first use and kept while the run stays cached; null for runs saved before schema 4.
   */
  lengthsIndex(id: number): IndexReader | null {
    const run = this.get(id);
    let reader = this.indexes.get(run);
    if (reader === undefined) {
      const names = new Set(this.store.indexNames(id));
      const loaded = new Map<string, AnyTypedArray>();
      reader = names.has('idx.start')
        ? (name) => {
            let a = loaded.get(name);
            if (!a && names.has(name)) {
              a = this.store.loadIndex(id, [name])[name];
              loaded.set(name, a);
            }
            return a;
          }
        : null;
      this.indexes.set(run, reader);
    }
    return reader;
  }

  /**
   * The run's saved residency index (main/store/residency-index.ts), its chunks read on first
   * need; null for runs saved without one (list queries then read the residency log).
   */
  residency(id: number): SavedResidency | null {
    const run = this.get(id);
    let r = this.residencies.get(run);
    if (r === undefined) {
      const read = this.lengthsIndex(id);
      r = read ? SavedResidency.open(read, run.summary.pcpus) : null;
      // A page of rows names 200 vCPUs: their domains and ids are read from the coded tables
      // by element rather than decoding 4M-entry tables on the first list query.
      const dom = r && this.store.seriesElements(id, 'vcpu.dom');
      const vid = r && this.store.seriesElements(id, 'vcpu.id');
      if (r && dom && vid) r.slotTable = { dom, id: vid };
      this.residencies.set(run, r);
    }
    return r;
  }

  private lazySeries(id: number): SeriesSet {
    const names = new Set(this.store.seriesNames(id));
    const loaded = new Map<string, AnyTypedArray>();
    const load = (name: string): AnyTypedArray | undefined => {
      if (!names.has(name)) return undefined;
      let arr = loaded.get(name);
      if (!arr) {
        arr = this.store.loadSeries(id, [name])[name];
        loaded.set(name, arr);
      }
      return arr;
    };
    return new Proxy({} as SeriesSet, {
      get: (_t, name) => (typeof name === 'string' ? load(name) : undefined),
      has: (_t, name) => typeof name === 'string' && names.has(name),
      ownKeys: () => [...names],
      getOwnPropertyDescriptor: (_t, name) =>
        typeof name === 'string' && names.has(name)
          ? { enumerable: true, configurable: true, writable: false, value: load(name) }
          : undefined,
    });
  }
}
