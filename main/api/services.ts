import { EventEmitter } from 'node:events';
import type { AppInfo, PushEventName, PushEvents } from '../../shared/api';
import { ENGINE_VERSION } from '../engine';
import { JobRunner } from '../jobs/runner';
import { SCHEMA_VERSION } from '../store/db';
import { appIdentity } from '../store/identity';
import { Store } from '../store/store';
import type { Handlers } from './dispatch';
import { experimentHandlers } from './experiment-handlers';
import { jobHandlers } from './job-handlers';
import { fitHandlers } from './fit-handlers';
import { notebookHandlers } from './notebook-handlers';
import { recommendHandlers } from './recommend-handlers';
import { RecommendManager } from '../notebook/recommend-jobs';
import { SweepManager } from '../notebook/sweeps';
import { RunCache } from './run-cache';
import { runHandlers } from './run-handlers';

export type PushBus = EventEmitter<{ [E in PushEventName]: [PushEvents[E]] }>;

export interface DialogHandlers {
  open: Handlers['dialog.open'];
  save: Handlers['dialog.save'];
}

export interface ServiceOptions {
  dbPath: string;
  host: AppInfo['host'];
  /** Native dialogs (Electron only); other hosts answer `unavailable`. */
  dialogs?: DialogHandlers;
  maxConcurrentJobs?: number;
}

/** Everything a host needs: the validated handlers, the push-event bus, and shutdown. */
export interface Services {
  handlers: Handlers;
  store: Store;
  jobs: JobRunner;
  events: PushBus;
  runs: RunCache;
  close(): Promise<void>;
}

export function createServices(opts: ServiceOptions): Services {
  const store = Store.open(opts.dbPath);
  const jobs = new JobRunner({ maxConcurrent: opts.maxConcurrentJobs });
  const events: PushBus = new EventEmitter();
  const runs = new RunCache(store);
  // One sweep manager for `sweeps.*` and the recommendations' sweeps: one jobs list, one cancel.
  const sweeps = new SweepManager(store, jobs);
  const recommends = new RecommendManager(store, jobs, sweeps);
  jobs.on('progress', (j) => events.emit('job.progress', j));
  jobs.on('done', (j) => events.emit('job.done', j));

  const unavailable = (what: string) => () => {
    throw Object.assign(new Error(`${what} is only available in the desktop app`), {
      name: 'UnavailableError',
    });
  };

  const handlers: Handlers = {
    'app.info': () => {
      const id = appIdentity();
      return {
        name: id.name,
        version: id.version,
        commit: id.commit,
        engineVersion: ENGINE_VERSION,
        schemaVersion: SCHEMA_VERSION,
        dbPath: store.path,
        host: opts.host,
        platform: process.platform,
      };
    },
    ...experimentHandlers(store, runs),
    ...jobHandlers(store, jobs, runs),
    ...fitHandlers(store, jobs),
    ...runHandlers(runs),
    ...notebookHandlers(store, jobs, runs, sweeps, recommends),
    ...recommendHandlers(store, recommends),
    'dialog.open': opts.dialogs?.open ?? unavailable('A native file dialog'),
    'dialog.save': opts.dialogs?.save ?? unavailable('A native file dialog'),
  };

  return {
    handlers,
    store,
    jobs,
    events,
    runs,
    async close() {
      await jobs.shutdown();
      store.close();
    },
  };
}
