import type { Handlers } from './dispatch';
import type { Store } from '../store/store';
import type { RunCache } from './run-cache';

type ExperimentChannels =
  | 'experiments.list'
  | 'experiments.get'
  | 'experiments.create'
  | 'experiments.update'
  | 'experiments.delete'
  | 'annotations.list'
  | 'annotations.add'
  | 'annotations.delete';

export function experimentHandlers(
  store: Store,
  runs: RunCache,
): Pick<Handlers, ExperimentChannels> {
  return {
    'experiments.list': (r) => store.listExperiments(r),
    'experiments.get': (r) => store.getExperiment(r.id),
    'experiments.create': (r) =>
      store.createExperiment({ kind: r.kind, title: r.title, notes: r.notes, tags: r.tags }),
    'experiments.update': (r) =>
      store.updateExperiment(r.id, { title: r.title, notes: r.notes, tags: r.tags }),
    'experiments.delete': (r) => {
      runs.forget(r.id);
      return { deleted: store.deleteExperiment(r.id) };
    },
    'annotations.list': (r) => store.listAnnotations(r.experimentId),
    'annotations.add': (r) =>
      store.addAnnotation({
        experimentId: r.experimentId,
        tNs: r.tNs,
        pcpu: r.pcpu ?? null,
        vcpu: r.vcpu ?? null,
        text: r.text,
      }),
    'annotations.delete': (r) => ({ deleted: store.deleteAnnotation(r.id) }),
  };
}
