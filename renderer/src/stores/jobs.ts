/**
 * Background jobs (simulations, trace imports, replays): the list from `jobs.list`, kept current by
 * the `job.progress` / `job.done` push events. Views wait for their job with `whenDone(jobId)`.
 */
import { defineStore } from 'pinia';
import { invoke, onPush } from '../api/bridge';
import type { JobInfo } from '@shared/model';
import { useExperimentsStore } from './experiments';

type Waiter = (j: JobInfo) => void;
const waiters = new Map<string, Waiter[]>();
let subscribed = false;
let lastSweepRefresh = 0;

export const useJobsStore = defineStore('jobs', {
  state: () => ({
    jobs: {} as Record<string, JobInfo>,
    /** Finished jobs stay visible in the status line for a moment; ids dismissed by the user. */
    dismissed: [] as string[],
  }),
  getters: {
    running: (s) => Object.values(s.jobs).filter((j) => j.state === 'running'),
    /** The status line's rows: a sweep's point jobs are summed up in the sweep's one row. */
    visible: (s) =>
      Object.values(s.jobs)
        .filter((j) => !j.parentJobId && !s.dismissed.includes(j.jobId))
        .sort((a, b) => a.startedAt.localeCompare(b.startedAt)),
  },
  actions: {
    async init() {
      if (!subscribed) {
        subscribed = true;
        onPush('job.progress', (j) => this.upsert(j));
        onPush('job.done', (j) => this.finish(j));
      }
      await this.poll();
      // Safety net for missed push events (e.g. while the event socket reconnects).
      setInterval(() => {
        if (this.running.length) void this.poll().catch(() => {});
      }, 2000);
    },
    async poll() {
      const list = await invoke('jobs.list', {});
      for (const j of list)
        if (!this.jobs[j.jobId] || this.jobs[j.jobId].state === 'running') this.upsert(j);
    },
    upsert(j: JobInfo) {
      const prev = this.jobs[j.jobId];
      if (prev && prev.state !== 'running' && j.state === 'running') return; // late progress
      this.jobs[j.jobId] = j;
      // A sweep saves points as it goes: keep the notebook list current (at most every 2 s).
      if (j.kind === 'sweep' && j.state === 'running' && j.detail !== prev?.detail) {
        const now = Date.now();
        if (now - lastSweepRefresh > 2000) {
          lastSweepRefresh = now;
          void useExperimentsStore()
            .refresh()
            .catch(() => {});
        }
      }
      if (j.state !== 'running') this.settle(j);
    },
    finish(j: JobInfo) {
      this.jobs[j.jobId] = j;
      this.settle(j);
    },
    settle(j: JobInfo) {
      const ws = waiters.get(j.jobId);
      waiters.delete(j.jobId);
      for (const w of ws ?? []) w(j);
      if (j.experimentId !== null || j.state === 'done')
        void useExperimentsStore()
          .refresh()
          .catch(() => {});
      if (j.state === 'done' || j.state === 'cancelled')
        setTimeout(() => this.dismiss(j.jobId), 8000);
    },
    /** Track a job just started (before its first progress event). */
    track(jobId: string, kind: JobInfo['kind'], title: string) {
      if (this.jobs[jobId]) return;
      this.jobs[jobId] = {
        jobId,
        kind,
        title,
        state: 'running',
        fraction: 0,
        detail: 'starting…',
        etaMs: null,
        startedAt: new Date().toISOString(),
        experimentId: null,
        error: null,
        parentJobId: null,
      };
    },
    whenDone(jobId: string): Promise<JobInfo> {
      const j = this.jobs[jobId];
      if (j && j.state !== 'running') return Promise.resolve(j);
      return new Promise((resolve) => {
        const list = waiters.get(jobId) ?? [];
        list.push(resolve);
        waiters.set(jobId, list);
      });
    },
    async cancel(jobId: string) {
      return invoke('jobs.cancel', { jobId });
    },
    dismiss(jobId: string) {
      if (!this.dismissed.includes(jobId)) this.dismissed.push(jobId);
    },
  },
});
