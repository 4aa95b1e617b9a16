/**
 * The run's theory line (issue 14 item 3): read the run's state at the instant its longest list
 * was first reached (every list's length, and for `upstream` how many entries of the longest list
 * blocked on its pCPU) and feed shared/theory.ts. Shared by the Run view's panel and Compare.
 */
import type { ExperimentRecord } from '@shared/model';
import type { RunSummary } from '@shared/results';
import {
  isFinding,
  predictMaxList,
  theoryInputAtMax,
  type RunAtMax,
  type TheoryInput,
  type TheoryPrediction,
} from '@shared/theory';
import { invoke } from '../../api/bridge';

export interface RunTheory {
  input: TheoryInput;
  /** null: no known result for this policy. */
  prediction: TheoryPrediction | null;
  measured: number;
  finding: boolean;
}

/** The policy knobs a run was made with: the params' `policy` (simulation, replay), else the summary's. */
export function runPolicy(record: ExperimentRecord | null, s: RunSummary): RunAtMax['policy'] {
  const params = record?.params as { policy?: RunAtMax['policy'] } | null | undefined;
  const p = params && typeof params === 'object' ? params.policy : undefined;
  return p && typeof p.policy === 'string' ? p : { policy: s.policy, K: s.K };
}

/** Rows per listAt request when counting the longest list's own (non-remote) entries. */
const PAGE = 10_000;

/**
 * Entries of the longest list that blocked on its own pCPU. Without fix-up moves every entry of
 * an upstream list did (upstream places locally), so no rows need to be read.
 */
async function ownEntries(experimentId: number, s: RunSummary): Promise<number> {
  if (s.fixupMoves === 0) return s.maxListLength;
  let own = 0;
  for (let offset = 0; ; offset += PAGE) {
    const page = await invoke('run.listAt', {
      experimentId,
      tNs: s.maxListAtNs,
      pcpu: s.maxListPcpu,
      offset,
      limit: PAGE,
    });
    own += page.rows.filter((r) => !r.remote).length;
    if (offset + PAGE >= page.total) return own;
  }
}

/** The generator's placement of a simulation (stochastic or fitted), else undefined. */
export function runPlacement(record: ExperimentRecord | null): string | undefined {
  if (record?.kind !== 'simulation') return undefined;
  const p = record.params as {
    workload?: { placement?: unknown };
    traceWorkload?: { placement?: unknown };
  } | null;
  const placement = p?.workload?.placement ?? p?.traceWorkload?.placement;
  return typeof placement === 'string' ? placement : undefined;
}

export async function loadTheory(
  experimentId: number,
  record: ExperimentRecord | null,
  s: RunSummary,
): Promise<RunTheory> {
  const policy = runPolicy(record, s);
  const placement = runPlacement(record);
  const at = await invoke('run.lengthsAt', { experimentId, tNs: s.maxListAtNs });
  const input = theoryInputAtMax({
    policy,
    boundAtMax: s.boundAtMax,
    lengths: at.lengths,
    online: at.online,
    busiestPcpuBlocked:
      policy.policy === 'upstream' ? await ownEntries(experimentId, s) : undefined,
    placement,
    blocks: s.opCounts.block ?? 0,
  });
  const prediction = predictMaxList(input);
  return {
    input,
    prediction,
    measured: s.maxListLength,
    finding: prediction ? isFinding(prediction, s.maxListLength) : false,
  };
}
