/**
 * The xentrace importer's public API: read a dump (streaming), estimate its clock, rebuild the
 * model's operations, run them through the engine; replay them under another policy; write any
 * op stream back as a dump. docs/trace-import.md describes the rules and every output field.
 */
import { DOMID_FIRST_RESERVED } from './format';
import { chooseClock, type ClockChoice } from './clock';
import type { UserIdMapping } from './decoder';
import type { OpColumns } from './op-columns';
import { readTrace } from './reader';
import { hashFile } from './hash-file';
import { observeOutsideLost, type ObservedOutsideLost } from './observed';
import {
  Reconstructor,
  type ObservedLists,
  type OfflineAs,
  type ReconstructionCounts,
  type WakeAs,
} from './reconstruct';
import type { PiRecordLists } from './pi-records';
import type { DomainSeen } from './domains-seen';
import { listProvenance, type ListProvenance } from './provenance';
import { replayOps, UPSTREAM } from './replay';
import { writeTraceSync, type WriteOptions, type WriteSummary } from './writer';
import type { PolicyConfig } from '../../shared/params';
import type { RunResult } from '../../shared/results';
import type { LostSpan, TraceError, TraceStats } from './types';
import type { Op } from '../../shared/ops';

export type { OpColumns } from './op-columns';
export type { TraceError, TraceStats, LostSpan } from './types';
export type { UserIdMapping } from './decoder';
export type { WakeAs, OfflineAs } from './reconstruct';
export type { DomainSeen } from './domains-seen';
export type { PiRecordLists } from './pi-records';
export type { ListProvenance } from './provenance';
export { parseUserIdMappings, describeEvent } from './decoder';
export { CancelledError } from './reader';
export { replayOps } from './replay';
export {
  OP_SERIES_NAMES,
  columnsFromOps,
  opsFromColumns,
  opsFromSeries,
  opsToSeries,
} from './op-columns';

export interface ImportOptions {
  /** TSC rate (e.g. `xl info` cpu_mhz * 1e6); null/absent: estimate from the dump. */
  cpuHz?: number | null;
  /** Domains with an assigned device (PI); null/absent: the HVM domains of the dump. */
  piDomains?: number[] | null;
  /** Policy of the engine run (default upstream: the observed occupancy). */
  policy?: PolicyConfig;
  userIds?: UserIdMapping[];
  /** What a blocked->runnable of a PI vCPU becomes (default `post`). */
  wakeAs?: WakeAs;
  /** What running/runnable/blocked -> offline means (default `pause`: Xen's pause). */
  offlineAs?: OfflineAs;
  onProgress?: (p: { bytes: number; totalBytes: number; records: number }) => void;
  cancelled?: () => boolean;
}

export interface TraceAssumptions {
  cpuHz: number;
  clockSource: ClockChoice['source'];
  /** Domains whose vCPUs went into the op stream (HVM: they count towards H). */
  hvmDomains: number[];
  /** How `hvmDomains` was decided. */
  hvmRule: 'hvm-records' | 'all-guests-no-hvm-records' | 'hvm-records-and-user-list';
  piDomains: number[];
  piRule: 'user' | 'hvm-domains' | 'pi-records';
  /** Guest domains seen in scheduler records but left out (not HVM: PV, e.g. a PV dom0). */
  leftOut: number[];
  wakeAs: WakeAs;
  /** Per-pCPU spans of lost records: the op stream there is incomplete, so list statistics
   *  inside them are not observations (`outsideLost` leaves them out; the clock estimate too). */
  lostSpans: LostSpan[];
  lostNs: number;
  reconstruction: ReconstructionCounts;
  notes: string[];
}

export interface TraceImport {
  stats: TraceStats;
  clock: {
    cpuHz: number;
    source: 'user' | 'estimate' | 'default';
    samples: number;
    spreadPct: number | null;
    estimatedHz: number | null;
  };
  assumptions: TraceAssumptions;
  ops: OpColumns;
  result: RunResult;
  /** Upstream list statistics with the lost-record spans left out (see observed.ts). */
  outsideLost: ObservedOutsideLost;
  /** List occupancy from user-mapped list add/delete records (null without such a mapping). */
  observedLists: ObservedLists | null;
  /** Counts from the lab's PI list records alone (null: the dump holds none). */
  piRecords: PiRecordLists | null;
  /** Where `result`'s lists come from, and how to label them (provenance.ts). */
  provenance: ListProvenance;
  /**
   * When `result` comes from the PI records: the scheduler-based reconstruction of the same dump
   * under upstream placement, as a cross-check (null otherwise).
   */
  crossCheck: {
    maxListLength: number;
    perPcpu: { pcpu: number; maxLength: number }[];
    wakeupInterrupts: number;
    walked: number;
    H: number;
  } | null;
  /** Per guest domain: vCPUs seen, pauses, destroyed, first/last record. */
  domains: DomainSeen[];
  errors: TraceError[];
  file: { name: string; bytes: number; sha256: string };
}

export async function importTrace(path: string, opts: ImportOptions = {}): Promise<TraceImport> {
  const wakeAs = opts.wakeAs ?? 'post';
  const rec = new Reconstructor(wakeAs, opts.userIds, opts.offlineAs ?? 'pause');
  const hashing = hashFile(path);
  let read: ReturnType<typeof readTrace>;
  try {
    read = readTrace(path, rec, {
      userIds: opts.userIds,
      onProgress: opts.onProgress,
      cancelled: opts.cancelled,
      hash: false,
    });
  } catch (e) {
    hashing.cancel();
    throw e;
  }
  const sha256 = await hashing.done;
  const { stats } = read;
  const clock = chooseClock(opts.cpuHz, read.clock);
  const first = read.firstTscRel === read.firstTscRel ? read.firstTscRel : 0;
  const last = read.lastTscRel === read.lastTscRel ? read.lastTscRel : 0;
  stats.durationNs = ((last - first) * 1e9) / clock.cpuHz;
  rec.closeLost(last);

  const guests = rec.guestDomains().filter((d) => d < DOMID_FIRST_RESERVED);
  const hvmSet = new Set(stats.hvmDomains.filter((d) => d < DOMID_FIRST_RESERVED));
  // The lab's PI and domain records name HVM domains too (ones whose vCPUs never ran).
  const pcpus = stats.cpus.length ? stats.cpus[stats.cpus.length - 1] + 1 : 1;
  const piRecords =
    rec.piRecords.seen || rec.piRecords.hvm.size ? rec.piRecords.result(pcpus) : null;
  for (const d of piRecords?.hvmDomains ?? []) if (d < DOMID_FIRST_RESERVED) hvmSet.add(d);
  const notes: string[] = [];
  let hvmRule: TraceAssumptions['hvmRule'] = 'hvm-records';
  if (hvmSet.size === 0 && guests.some((d) => d !== 0)) {
    hvmRule = 'all-guests-no-hvm-records';
    for (const d of guests) if (d !== 0) hvmSet.add(d);
    notes.push(
      'No HVM entry/exit or handler record names a domain (the event mask left out hvm): every guest domain but dom0 is taken as HVM.',
    );
  }
  if (opts.piDomains) {
    if (opts.piDomains.some((d) => !hvmSet.has(d))) hvmRule = 'hvm-records-and-user-list';
    for (const d of opts.piDomains) hvmSet.add(d);
  }
  const fromRecords = !opts.piDomains && rec.piRecords.seen;
  const piSet = new Set(opts.piDomains ?? (fromRecords ? piRecords!.piDomains : hvmSet));
  const scale = 1e9 / clock.cpuHz;
  const lostSpans: LostSpan[] = rec.lost.map((l) => ({
    cpu: l.cpu,
    lost: l.lost,
    startNs: Math.max(0, (l.start - first) * scale),
    endNs: Math.max(0, (l.end - first) * scale),
  }));
  if (clock.source === 'default')
    notes.push(
      'cpu_hz: no user value and too few SWITCH_INFPREV/INFNEXT pairs to estimate it; 2.4 GHz assumed (xenalyze default).',
    );
  const isHvm = (d: number) => hvmSet.has(d);
  const isPi = (d: number) => piSet.has(d);
  const ops = rec.finish(pcpus, isHvm, isPi, first, clock.cpuHz);
  const recorded = rec.finishRecorded(pcpus, isHvm, isPi, first, clock.cpuHz);
  const policy = opts.policy ?? UPSTREAM;
  // With PI records, the upstream result is the lists as recorded; another policy is a
  // counterfactual replay of the scheduler-based ops (the local pCPU of each block).
  const asRecorded = recorded !== null && policy.policy === 'upstream';
  const result = replayOps(asRecorded ? recorded : ops, policy);
  let crossCheck: TraceImport['crossCheck'] = null;
  if (asRecorded) {
    const c = replayOps(ops, UPSTREAM, undefined, 16).summary;
    crossCheck = {
      maxListLength: c.maxListLength,
      perPcpu: c.perPcpu.map((p) => ({ pcpu: p.pcpu, maxLength: p.maxLength })),
      wakeupInterrupts: c.wakeupInterrupts,
      walked: c.walked,
      H: c.H,
    };
  }
  const provenance = listProvenance({
    asRecorded,
    policy: policy.policy,
    userPiDomains: opts.piDomains ?? null,
    hvmDomains: hvmSet.size,
    spanNs: stats.durationNs,
  });
  if (wakeAs === 'post' && !asRecorded)
    notes.push(
      'Every wake-up of a blocked PI vCPU is taken as a posted interrupt (a wakeup interrupt and a list walk): an upper bound on walks.',
    );
  if (asRecorded)
    notes.push(
      "Lists from the lab's PI list records (observed); crossCheck gives the scheduler-based reconstruction.",
    );
  if (provenance.message) notes.push(provenance.message);
  const sorted = (s: Iterable<number>) => [...s].sort((a, b) => a - b);
  return {
    stats,
    clock: {
      cpuHz: clock.cpuHz,
      source: clock.source,
      samples: clock.samples,
      spreadPct: clock.spreadPct,
      estimatedHz: clock.estimatedHz,
    },
    assumptions: {
      cpuHz: clock.cpuHz,
      clockSource: clock.source,
      hvmDomains: sorted(hvmSet),
      hvmRule,
      piDomains: sorted(piSet),
      piRule: opts.piDomains ? 'user' : fromRecords ? 'pi-records' : 'hvm-domains',
      leftOut: guests.filter((d) => !hvmSet.has(d)),
      wakeAs,
      lostSpans,
      lostNs: lostSpans.reduce((s, l) => s + (l.endNs - l.startNs), 0),
      reconstruction: rec.counts,
      notes,
    },
    ops,
    result,
    outsideLost: observeOutsideLost(ops, lostSpans),
    observedLists: opts.userIds?.some((u) => u.kind !== 'ignore') ? rec.observed : null,
    piRecords,
    provenance,
    crossCheck,
    domains: rec.domainsSeen(first, clock.cpuHz),
    errors: read.errors,
    file: { name: read.fileName, bytes: stats.bytes, sha256 },
  };
}

export async function writeTrace(
  path: string,
  ops: Iterable<Op> | OpColumns,
  opts: WriteOptions = {},
): Promise<WriteSummary> {
  return writeTraceSync(path, ops, opts);
}
