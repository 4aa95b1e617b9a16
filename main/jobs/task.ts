/**
 * The worker-side contract of background jobs. A task runs inside a worker thread
 * (main/jobs/job-worker.ts), reports progress through `ctx.progress`, checks `ctx.cancelled()`
 * in its loops (the host also terminates the worker on cancel, so nothing half-done is saved),
 * and returns a result whose typed arrays are transferred back to the host thread, which saves it.
 */
import { EtaEstimator } from './eta';

export interface TaskProgress {
  /** 0..1 */
  fraction: number;
  /** e.g. "1.2 M ops, t = 3.4 s virtual" or "120 MB / 1.0 GB, 3.1 M records". */
  detail: string;
  etaMs: number | null;
}

export interface TaskContext {
  progress(p: TaskProgress): void;
  cancelled(): boolean;
}

export type TaskFn<I, O> = (input: I, ctx: TaskContext) => Promise<O> | O;

/**
 * Throttles progress to at most one message per `everyMs`, with an ETA from the recent rate once
 * it is stable (EtaEstimator; null until then).
 */
export function progressReporter(ctx: TaskContext, everyMs = 100) {
  const eta = new EtaEstimator();
  let last = 0;
  return (fraction: number, detail: string, force = false) => {
    const now = Date.now();
    if (!force && now - last < everyMs) return;
    last = now;
    const f = Math.max(0, Math.min(1, fraction));
    ctx.progress({ fraction: f, detail, etaMs: eta.update(now, f) });
  };
}
