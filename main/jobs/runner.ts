import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { JobInfo, JobKind } from '../../shared/model';
import type { TaskProgress } from './task';
import type { TaskName } from './job-worker';

export type WorkerMessage =
  | { type: 'progress'; progress: TaskProgress }
  | { type: 'done'; result: unknown }
  | { type: 'error'; error: { name: string; message: string } };

export interface JobSpec<O> {
  kind: JobKind;
  title: string;
  task: TaskName;
  input: unknown;
  /** Runs on the host thread with the task's result; returns the saved experiment's id. */
  save?: (result: O) => number | null | Promise<number | null>;
  /** The job this one is part of (e.g. a sweep's job id for its points), copied into JobInfo. */
  parentJobId?: string | null;
}

/**
 * Runs tasks in worker threads (one per job, at most one per core at a time), streams their
 * progress as JobInfo events and cancels by terminating the worker: a cancelled job never
 * reaches `save`, so nothing half-done is stored.
 */
export class JobRunner extends EventEmitter<{ progress: [JobInfo]; done: [JobInfo] }> {
  private jobs = new Map<string, { info: JobInfo; worker: Worker | null; cancel: () => void }>();
  private queue: (() => void)[] = [];
  private running = 0;
  private seq = 0;
  readonly maxConcurrent: number;

  constructor(opts: { maxConcurrent?: number } = {}) {
    super();
    this.maxConcurrent = opts.maxConcurrent ?? Math.max(1, availableParallelism());
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((j) => ({ ...j.info }));
  }

  get(jobId: string): JobInfo | undefined {
    const j = this.jobs.get(jobId);
    return j ? { ...j.info } : undefined;
  }

  /** Starts a job; the returned promise settles with its final JobInfo. */
  start<O>(spec: JobSpec<O>): { jobId: string; finished: Promise<JobInfo> } {
    const jobId = `job-${Date.now().toString(36)}-${++this.seq}`;
    const info: JobInfo = {
      jobId,
      kind: spec.kind,
      title: spec.title,
      state: 'running',
      fraction: 0,
      detail: 'queued',
      etaMs: null,
      startedAt: new Date().toISOString(),
      experimentId: null,
      error: null,
      parentJobId: spec.parentJobId ?? null,
    };
    let settle!: (j: JobInfo) => void;
    const finished = new Promise<JobInfo>((r) => (settle = r));
    const entry = {
      info,
      worker: null as Worker | null,
      cancel: () => {
        /* replaced once started */
      },
    };
    this.jobs.set(jobId, entry);

    const finish = (patch: Partial<JobInfo>) => {
      if (info.state !== 'running') return;
      Object.assign(info, patch);
      this.running -= entry.worker ? 1 : 0;
      entry.worker = null;
      this.emit('done', { ...info });
      settle({ ...info });
      this.queue.shift()?.();
    };

    const launch = () => {
      if (info.state !== 'running') return; // cancelled while queued
      this.running++;
      const worker = spawnWorker(spec.task, spec.input);
      entry.worker = worker;
      info.detail = 'starting';
      this.emit('progress', { ...info });
      entry.cancel = () => {
        void worker.terminate();
        finish({ state: 'cancelled', detail: 'cancelled', etaMs: null });
      };
      worker.on('message', (m: WorkerMessage) => {
        if (info.state !== 'running') return;
        if (m.type === 'progress') {
          Object.assign(info, m.progress);
          this.emit('progress', { ...info });
        } else if (m.type === 'error') {
          void worker.terminate();
          finish({ state: 'failed', error: m.error.message, detail: m.error.name });
        } else {
          void worker.terminate();
          info.detail = 'saving';
          this.emit('progress', { ...info });
          Promise.resolve()
            .then(() => (spec.save ? spec.save(m.result as O) : null))
            .then(
              (experimentId) =>
                finish({ state: 'done', fraction: 1, etaMs: 0, detail: 'done', experimentId }),
              (e: unknown) =>
                finish({ state: 'failed', error: `saving failed: ${(e as Error).message}` }),
            );
        }
      });
      worker.on('error', (e) =>
        finish({ state: 'failed', error: e.message, detail: 'worker error' }),
      );
      worker.on('exit', (code) => {
        if (info.state === 'running' && info.detail !== 'saving')
          finish({ state: 'failed', error: `worker exited with code ${code}` });
      });
    };

    entry.cancel = () =>
      finish({ state: 'cancelled', detail: 'cancelled before start', etaMs: null });
    if (this.running < this.maxConcurrent) launch();
    else this.queue.push(launch);
    this.emit('progress', { ...info });
    return { jobId, finished };
  }

  cancel(jobId: string): boolean {
    const j = this.jobs.get(jobId);
    if (!j || j.info.state !== 'running' || j.info.detail === 'saving') return false;
    j.cancel();
    return true;
  }

  async shutdown(): Promise<void> {
    for (const id of this.jobs.keys()) this.cancel(id);
  }
}

/**
 * The bundled app ships `job-worker.js` beside the main bundle; from source (CLI, browser host,
 * tests) the TypeScript worker is loaded through tsx, which Node 20 does not apply to workers by
 * itself.
 */
function spawnWorker(task: TaskName, input: unknown): Worker {
  const data = { task, input };
  const built = new URL('./job-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return new Worker(built, { workerData: data });
  const source = new URL('./job-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: data });
}
