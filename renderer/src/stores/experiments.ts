/**
 * The notebook: experiment list (with the current search), full records and annotations, all
 * through `invoke`; the store in main persists them. Mutations refresh the list.
 */
import { defineStore } from 'pinia';
import { invoke } from '../api/bridge';
import { useUiStore } from './ui';
import type {
  Annotation,
  ExperimentListItem,
  ExperimentRecord,
  ExperimentKind,
} from '@shared/model';
import type { ApiRequest } from '@shared/api';

export const useExperimentsStore = defineStore('experiments', {
  state: () => ({
    items: [] as ExperimentListItem[],
    search: '',
    loading: false,
    loaded: false,
    records: {} as Record<number, ExperimentRecord>,
    annotations: {} as Record<number, Annotation[]>,
    /** Sequence number of the latest list request, so stale answers are dropped. */
    listSeq: 0,
  }),
  getters: {
    byId: (s) => (id: number) => s.items.find((e) => e.id === id) ?? null,
    childrenOf: (s) => (id: number) => s.items.filter((e) => e.parentId === id),
  },
  actions: {
    async refresh() {
      const seq = ++this.listSeq;
      this.loading = true;
      try {
        const q = this.search.trim();
        const items = await invoke('experiments.list', q ? { search: q } : {});
        if (seq === this.listSeq) {
          this.items = items;
          this.loaded = true;
        }
      } finally {
        if (seq === this.listSeq) this.loading = false;
      }
    },
    async get(id: number, force = false): Promise<ExperimentRecord> {
      if (!force && this.records[id]) return this.records[id];
      const r = await invoke('experiments.get', { id });
      this.records[id] = r;
      return r;
    },
    async create(kind: ExperimentKind, title: string, tags: string[] = []) {
      const r = await invoke('experiments.create', { kind, title, tags });
      this.records[r.id] = r;
      await this.refresh();
      return r;
    },
    async update(req: ApiRequest<'experiments.update'>) {
      const r = await invoke('experiments.update', req);
      this.records[r.id] = r;
      const i = this.items.findIndex((e) => e.id === r.id);
      if (i >= 0)
        this.items[i] = { ...this.items[i], title: r.title, tags: r.tags, updatedAt: r.updatedAt };
      void this.refresh();
      return r;
    },
    async remove(id: number) {
      await invoke('experiments.delete', { id });
      delete this.records[id];
      delete this.annotations[id];
      this.items = this.items.filter((e) => e.id !== id);
      await this.refresh();
    },
    /**
     * Asks for confirmation, deletes, and leaves the experiment's page; errors go to the toasts.
     * Returns whether it was deleted.
     */
    async confirmAndRemove(id: number): Promise<boolean> {
      const ui = useUiStore();
      const it = this.byId(id);
      const title = this.records[id]?.title ?? it?.title ?? `#${id}`;
      const children = this.childrenOf(id).length;
      const ok = await ui.confirm({
        title: `Delete experiment #${id}?`,
        message: `“${title}” will be deleted with its results, notes and annotations.${
          children ? `\nIt has ${children} replay(s).` : ''
        }\nThis cannot be undone.`,
        confirmLabel: 'Delete',
        danger: true,
      });
      if (!ok) return false;
      try {
        await this.remove(id);
        ui.toggleCompare(id, false);
        if (ui.page.kind === 'experiment' && ui.page.id === id) ui.openPage({ kind: 'home' });
        return true;
      } catch (e) {
        ui.reportError(e, 'Delete failed');
        return false;
      }
    },
    async loadAnnotations(experimentId: number) {
      const list = await invoke('annotations.list', { experimentId });
      this.annotations[experimentId] = [...list].sort((a, b) => a.tNs - b.tNs);
      return this.annotations[experimentId];
    },
    async addAnnotation(req: ApiRequest<'annotations.add'>) {
      const a = await invoke('annotations.add', req);
      await this.loadAnnotations(req.experimentId);
      return a;
    },
    async deleteAnnotation(experimentId: number, id: number) {
      await invoke('annotations.delete', { id });
      await this.loadAnnotations(experimentId);
    },
    /** Forget cached records (e.g. after another notebook was opened). */
    reset() {
      this.records = {};
      this.annotations = {};
      this.items = [];
      this.loaded = false;
    },
  },
});
