/**
 * Importing a dump: read it (streaming), estimate its clock, rebuild the model's operations and
 * run them through the engine. No zod here (nor in what it imports): `xen-pi-lab import` starts
 * fast; validating a user's id mapping (user-ids.ts) and a policy (shared/params) is the caller's.
 */
import { statSync } from 'node:fs';
import { DOMID_FIRST_RESERVED } from './format';
import { chooseClock, type ClockChoice } from './clock';
import type { UserIdMapping } from './decoder';
import { OpColumnsBuilder, type OpColumns } from './op-columns';
import { SpillOpBlocks } from './op-spill';
import { readTrace } from './reader';
import { hashFile } from './hash-file';
import { OutsideLostObserver, type ObservedOutsideLost } from './observed';
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
import { OpReplayer, UPSTREAM } from './op-replayer';
import type { PolicyConfig } from '../../shared/params';
import type { RunResult } from '../../shared/results';
import type { LostSpan, TraceError, TraceStats } from './types';
import type { OpSink } from '../../shared/ops';

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
  /** Filled with where the time went (bench/trace.ts prints it). */
  timings?: ImportTimings;
  /** Folder for the temporary op file of big dumps (default the OS temp folder). */
  tmpDir?: string;
  /** false: the engine keeps no residency log (the run's `res.*` series stay empty), so memory
   *  stays flat at any size; for imports read for their summary only. Default true. */
  listIndex?: boolean;
}

/** Milliseconds per stage of one import. */
export interface ImportTimings {
  /** Reading the file, decoding its records and rebuilding the ops (one interleaved pass). */
  readMs: number;
  /** Of which: waiting for the disk (chunk reads). */
  ioMs: number;
  /** Waiting for the SHA-256 thread after the read (0 when it finished first). */
  hashWaitMs: number;
  /** The kept ops through the engine(s) and the lost-span observer (staged ops read back). */
  engineMs: number;
  /** The engine's result: series, residencies, statistics (`finish`). */
  recorderMs: number;
  /** Bytes of ops spilled to the temporary files (both streams of a dump with PI records). */
  spilledBytes: number;
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

/** An import without its op stream (`importTraceSummary`: memory stays flat at any size). */
export interface TraceImportSummary {
  stats: TraceStats;
  clock: {
    cpuHz: number;
    source: 'user' | 'estimate' | 'default';
    samples: number;
    spreadPct: number | null;
    estimatedHz: number | null;
  };
  assumptions: TraceAssumptions;
  /** Ops in the rebuilt scheduler-based stream (the `pcpus` op included; `ops` of TraceImport). */
  opCount: number;
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

export interface TraceImport extends TraceImportSummary {
  /** The scheduler-based op stream (what a saved import stores and replays). */
  ops: OpColumns;
}

/** Imports a dump and keeps its op stream (to save it, or replay it under another policy). */
export async function importTrace(path: string, opts: ImportOptions = {}): Promise<TraceImport> {
  const imp = await runImport(path, opts, true);
  return imp as TraceImport;
}

/** Imports a dump without keeping its op stream: the ops go through the engine as they are
 *  rebuilt (staged on disk past a few MB), so memory stays flat whatever the dump's size. */
export function importTraceSummary(
  path: string,
  opts: ImportOptions = {},
): Promise<TraceImportSummary> {
  return runImport(path, opts, false);
}

/** From this size on, the SHA-256 is computed by a worker thread beside the import. */
export const HASH_THREAD_MIN_BYTES = 64 << 20;

async function runImport(
  path: string,
  opts: ImportOptions,
  keepOps: boolean,
): Promise<TraceImportSummary & { ops?: OpColumns }> {
  // Both streams (scheduler-based, and as-recorded once a PI record shows up) are staged on disk
  // past a few MB, so memory stays flat whatever the dump's size.
  const stages: SpillOpBlocks[] = [];
  const rec = new Reconstructor(
    opts.wakeAs ?? 'post',
    opts.userIds,
    opts.offlineAs ?? 'pause',
    () => {
      const stage = new SpillOpBlocks({ dir: opts.tmpDir });
      stages.push(stage);
      return stage;
    },
  );
  // A thread costs tens of ms to start: small dumps are hashed by the reader as it goes.
  const hashing = statSync(path).size >= HASH_THREAD_MIN_BYTES ? hashFile(path) : null;
  const tm: ImportTimings = opts.timings ?? {
    readMs: 0,
    ioMs: 0,
    hashWaitMs: 0,
    engineMs: 0,
    recorderMs: 0,
    spilledBytes: 0,
  };
  let read: ReturnType<typeof readTrace>;
  const t0 = performance.now();
  try {
    read = readTrace(path, rec, {
      userIds: opts.userIds,
      onProgress: opts.onProgress,
      cancelled: opts.cancelled,
      hash: hashing === null,
    });
  } catch (e) {
    hashing?.cancel();
    rec.release();
    throw e;
  }
  tm.readMs = performance.now() - t0;
  tm.ioMs = read.ioMs;
  tm.spilledBytes = stages.reduce((s, stage) => s + stage.spilledBytes, 0);
  try {
    const t1 = performance.now();
    const sha256 = hashing ? await hashing.done : read.sha256;
    tm.hashWaitMs = performance.now() - t1;
    return replayRebuilt(rec, read, sha256, opts, keepOps, tm);
  } finally {
    rec.release();
  }
}

/** After the read: the clock, the domains kept, and the staged ops through the engine. */
function replayRebuilt(
  rec: Reconstructor,
  read: ReturnType<typeof readTrace>,
  sha256: string,
  opts: ImportOptions,
  keepOps: boolean,
  tm: ImportTimings,
): TraceImportSummary & { ops?: OpColumns } {
  const wakeAs = opts.wakeAs ?? 'post';
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

  let t0 = performance.now();
  const plan = rec.plan(
    pcpus,
    (d) => hvmSet.has(d),
    (d) => piSet.has(d),
    first,
    clock.cpuHz,
  );
  const policy = opts.policy ?? UPSTREAM;
  // With PI records, the upstream result is the lists as recorded; another policy is a
  // counterfactual replay of the scheduler-based ops (the local pCPU of each block).
  const recordedPlan = policy.policy === 'upstream' ? rec.planRecorded(plan) : null;
  const asRecorded = recordedPlan !== null;
  const engine = new OpReplayer(
    (recordedPlan ?? plan).endNs,
    policy,
    undefined,
    undefined,
    opts.listIndex,
  );
  // The cross-check needs list lengths and walks only: no residency log (flat memory).
  const cross = asRecorded ? new OpReplayer(plan.endNs, UPSTREAM, undefined, 16, false) : null;
  const observer = new OutsideLostObserver(lostSpans);
  const kept = keepOps ? new OpColumnsBuilder(rec.keptCount(plan)) : null;
  const schedEngine = cross ?? engine;
  let opCount = 0;
  const tee: OpSink = {
    op(code, t, a, b, c) {
      schedEngine.op(code, t, a, b, c);
      observer.op(code, t, a, b, c);
      kept?.op(code, t, a, b, c);
      opCount++;
    },
  };
  rec.emitTo(tee, plan);
  if (recordedPlan) rec.emitRecordedTo(engine, recordedPlan);
  tm.engineMs = performance.now() - t0;
  t0 = performance.now();
  const result = engine.finish();
  tm.recorderMs = performance.now() - t0;
  let crossCheck: TraceImportSummary['crossCheck'] = null;
  if (cross) {
    const c = cross.finish().summary;
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
    opCount,
    ...(kept ? { ops: kept.finish() } : {}),
    result,
    outsideLost: observer.finish(),
    observedLists: opts.userIds?.some((u) => u.kind !== 'ignore') ? rec.observed : null,
    piRecords,
    provenance,
    crossCheck,
    domains: rec.domainsSeen(first, clock.cpuHz),
    errors: read.errors,
    file: { name: read.fileName, bytes: stats.bytes, sha256 },
  };
}
