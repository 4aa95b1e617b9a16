import type { RunResult } from '../../shared/results';
import type { Store } from '../store/store';

/**
 * Keeps the last few loaded runs in memory: cursor drags and zooms query the same run many times,
 * and decoding a 4M-vCPU run's BLOBs for each would dominate. Engine query indexes cached on a
 * RunResult object live as long as it stays here.
 */
export class RunCache {
  private entries = new Map<number, RunResult>();
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
    const run = this.store.loadRun(id);
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
}
