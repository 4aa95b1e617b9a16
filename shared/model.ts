/** Records the store and API hand out (JSON-safe). */
import type { RunSummary } from './results';

export type ExperimentKind = 'simulation' | 'trace';

export interface ExperimentListItem {
  id: number;
  kind: ExperimentKind;
  title: string;
  createdAt: string;
  updatedAt: string;
  tags: string[];
  hasResult: boolean;
  groupId: number | null;
  parentId: number | null;
  /** A few summary fields for the list (null until a result exists). */
  maxListLength: number | null;
  policy: string | null;
  /**
   * Set when a stored column of this experiment cannot be read (damaged or crafted file): what is
   * wrong. The experiment is still listed and can be deleted; absent for a sound one.
   */
  damaged?: string;
}

export interface ExperimentRecord extends ExperimentListItem {
  notes: string;
  params: unknown;
  seed: number | null;
  appVersion: string;
  appCommit: string | null;
  engineVersion: string | null;
  summary: RunSummary | null;
  /** Names of the stored series. */
  series: string[];
}

export interface Annotation {
  id: number;
  experimentId: number;
  tNs: number;
  pcpu: number | null;
  vcpu: { dom: number; vcpu: number } | null;
  text: string;
  createdAt: string;
}

export type JobKind = 'simulation' | 'trace-import' | 'replay' | 'sweep' | 'verify' | 'recommend';
export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

export interface JobInfo {
  jobId: string;
  kind: JobKind;
  title: string;
  state: JobState;
  /** 0..1 */
  fraction: number;
  /** Human-readable progress line (operations, virtual time, bytes, records). */
  detail: string;
  etaMs: number | null;
  startedAt: string;
  experimentId: number | null;
  error: string | null;
  /**
   * The job this one is part of (a sweep's points carry the sweep's job id); null or absent for
   * a job of its own. The status bar shows the parent's row and hides its parts.
   */
  parentJobId?: string | null;
}

export interface PresetInfo {
  name: string;
  rationale: string;
  /** SimParams input for the preset. */
  params: unknown;
}
