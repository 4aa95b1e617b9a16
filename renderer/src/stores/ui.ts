/**
 * The UI store: state shared by the shell (App.vue, notebook, notes) and the Run / Compare views.
 *
 * Shared with the Run view (read and write):
 *  - `cursorNs: number | null`: the time cursor, ns on the open run's time axis (0 = run or trace
 *    start); null = no cursor. Clicking an annotation sets it (and `selectedPcpu` when the
 *    annotation names a pCPU), bumps `jumpSeq` and switches to the Run tab; the Run view should
 *    watch `jumpSeq` (or `cursorNs`) and bring the cursor into view.
 *  - `range: { t0Ns, t1Ns } | null`: the selected time range, null = the whole run.
 *  - `selectedPcpu: number | null`: the pCPU whose list is open.
 *  - `selection: { t0Ns, t1Ns } | null`: the range selected with Shift+drag (its figures are shown
 *    in the Run view's Selection panel); null = none. Unlike `range` it does not zoom.
 *  - `cursorExperimentId`: which experiment the fields above refer to (reset on switch).
 *
 * Shell only: `page` (what the main area shows), `tab` (the experiment's tab), `compareIds`,
 * error toasts (`errors`, `reportError`), the confirmation dialog (`confirm()`), the About box.
 */
import { defineStore } from 'pinia';
import { ApiError } from '@shared/errors';
import type { ExperimentTab, Page } from '../components/util/route';

export type { ExperimentTab, Page };

export interface ErrorToast {
  id: number;
  kind: 'error' | 'info';
  title: string;
  code: string;
  message: string;
  issues: string[];
}

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  danger: boolean;
  resolve: (ok: boolean) => void;
}

let toastSeq = 0;

export const useUiStore = defineStore('ui', {
  state: () => ({
    cursorNs: null as number | null,
    range: null as { t0Ns: number; t1Ns: number } | null,
    selectedPcpu: null as number | null,
    selection: null as { t0Ns: number; t1Ns: number } | null,
    cursorExperimentId: null as number | null,
    /** Incremented on every explicit jump (annotation click), so the same time jumps twice. */
    jumpSeq: 0,

    page: { kind: 'home' } as Page,
    tab: 'run' as ExperimentTab,
    /** Experiments ticked in the notebook for Compare. */
    compareIds: [] as number[],
    errors: [] as ErrorToast[],
    confirmRequest: null as ConfirmRequest | null,
    aboutOpen: false,
  }),
  actions: {
    /** Point the time cursor at `tNs` of experiment `experimentId` and show its Run view. */
    jumpTo(experimentId: number, tNs: number, pcpu: number | null = null) {
      this.cursorExperimentId = experimentId;
      this.cursorNs = tNs;
      if (pcpu !== null) this.selectedPcpu = pcpu;
      this.jumpSeq++;
      this.page = { kind: 'experiment', id: experimentId };
      this.tab = 'run';
    },
    openExperiment(id: number, tab?: ExperimentTab) {
      if (this.cursorExperimentId !== id) {
        this.cursorExperimentId = id;
        this.cursorNs = null;
        this.range = null;
        this.selectedPcpu = null;
        this.selection = null;
      }
      this.page = { kind: 'experiment', id };
      if (tab) this.tab = tab;
    },
    openPage(p: Page) {
      this.page = p;
      // The notebook's ticks follow what is compared, so a compare opened from a replay does not
      // leave other runs ticked beside it (issue 12 item 14).
      if (p.kind === 'compare') this.compareIds = [...p.ids];
    },
    toggleCompare(id: number, on?: boolean) {
      const has = this.compareIds.includes(id);
      const want = on ?? !has;
      if (want && !has) this.compareIds = [...this.compareIds, id];
      if (!want && has) this.compareIds = this.compareIds.filter((x) => x !== id);
    },
    reportError(e: unknown, title = 'Error') {
      const t: ErrorToast = {
        id: ++toastSeq,
        kind: 'error',
        title,
        code: ApiError.is(e) ? e.code : ((e as { code?: string })?.code ?? 'error'),
        message:
          e instanceof Error
            ? e.message
            : typeof (e as { message?: unknown })?.message === 'string'
              ? (e as { message: string }).message
              : String(e),
        issues: ApiError.is(e) ? (e.issues ?? []) : ((e as { issues?: string[] })?.issues ?? []),
      };
      this.errors = [...this.errors.slice(-4), t];
      return t;
    },
    /** A short confirmation (e.g. "exported to …"), dismissed automatically. */
    notify(title: string, message = '') {
      const t: ErrorToast = { id: ++toastSeq, kind: 'info', title, code: '', message, issues: [] };
      this.errors = [...this.errors.slice(-4), t];
      setTimeout(() => this.dismissError(t.id), 6000);
      return t;
    },
    dismissError(id: number) {
      this.errors = this.errors.filter((e) => e.id !== id);
    },
    confirm(opts: { title: string; message: string; confirmLabel?: string; danger?: boolean }) {
      return new Promise<boolean>((resolve) => {
        this.confirmRequest?.resolve(false);
        this.confirmRequest = {
          title: opts.title,
          message: opts.message,
          confirmLabel: opts.confirmLabel ?? 'OK',
          danger: opts.danger ?? false,
          resolve: (ok) => {
            this.confirmRequest = null;
            resolve(ok);
          },
        };
      });
    },
  },
});
