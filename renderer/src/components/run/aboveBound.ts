/**
 * The run view's "above the bound" card: how long and how far lists stayed above the bound in
 * force after H fell or pCPUs came online (the model never rebalances; docs/engine.md).
 */
import type { RunSummary } from '@shared/results';
import { fmtInt, fmtNs } from '../util/format';

export interface AboveBoundCard {
  id: 'above-bound';
  label: string;
  value: string;
  sub: string;
  /** The whole story, for the tooltip (the sub line is kept short enough for a card). */
  title: string;
  warn: boolean;
}

/** null for runs saved before the figures existed (the summary lacks them). */
export function aboveBoundCard(s: RunSummary): AboveBoundCard | null {
  if (s.aboveBoundPcpuNs === undefined || s.aboveBoundSteps === undefined) return null;
  const steps = s.aboveBoundSteps;
  const x = s.aboveBoundMaxExcess ?? 0;
  const entries = (n: number) => `${fmtInt(n)} ${n === 1 ? 'entry' : 'entries'}`;
  return {
    id: 'above-bound',
    label: 'time above the bound',
    // pCPU-time: the time a list spent above the bound, summed over pCPUs.
    value: fmtNs(s.aboveBoundPcpuNs),
    sub: steps === 0 ? 'no list above the bound' : `max +${entries(x)} · ${fmtInt(steps)} ops`,
    title:
      steps === 0
        ? 'No list was ever above the bound in force.'
        : `${fmtNs(s.aboveBoundPcpuNs)} of pCPU-time with a list above the bound in force; ` +
          `${fmtNs(s.aboveBoundEntryNs)} × entries above it; at most ${entries(x)} above ` +
          `(first at ${fmtNs(s.aboveBoundMaxAtNs)}); ${fmtInt(steps)} operations left a list above it.`,
    warn: steps > 0,
  };
}
