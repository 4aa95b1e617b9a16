/**
 * Channel names alone, without their schemas, for the sandboxed preload (which cannot load zod).
 * `shared/api.ts` checks at compile time that this list and the schema table agree.
 */
export const CHANNEL_NAMES = [
  'app.info',
  'experiments.list',
  'experiments.get',
  'experiments.create',
  'experiments.update',
  'experiments.delete',
  'annotations.list',
  'annotations.add',
  'annotations.delete',
  'presets.list',
  'sim.start',
  'jobs.list',
  'jobs.cancel',
  'trace.import',
  'trace.replay',
  'trace.fit',
  'trace.simulateFitted',
  'run.summary',
  'run.series',
  'run.lengthsAt',
  'run.listAt',
  'run.domainsAt',
  'run.walks',
  'run.rangeStats',
  'run.seriesCsv',
  'sweeps.start',
  'sweeps.list',
  'sweeps.get',
  'recommend.start',
  'experiments.verify',
  'experiments.exportJson',
  'experiments.exportPerfetto',
  'experiments.exportParquet',
  'sweeps.exportParquet',
  'experiments.exportReport',
  'experiments.reportText',
  'experiments.jsonText',
  'notebook.export',
  'notebook.import',
  'dialog.open',
  'dialog.save',
] as const;

export type ChannelName = (typeof CHANNEL_NAMES)[number];

export const PUSH_EVENT_NAMES = ['job.progress', 'job.done', 'menu.command'] as const;

/** The IPC channel that carries a contract channel. */
export const ipcChannel = (name: string): string => `api:${name}`;
export const IPC_PUSH = 'push';
