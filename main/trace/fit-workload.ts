/**
 * The fit of a workload from an imported dump (issue 14, item 1): one pass over the op stream the
 * importer rebuilt (run / block / post / wake per HVM vCPU, docs/trace-import.md) measuring each
 * vCPU's run bursts, blocked durations and wake-to-run delays, kept as quantile tables
 * (shared/fitted-workload.ts). Pure: it reads the ops and the import's per-domain notes only, so it
 * works on a fresh import and on a stored one alike. docs/engine.md says what is fitted and why.
 */
import { OpCode } from '../../shared/ops';
import {
  buildQuantileTable,
  FIT_KIND,
  FIT_VERSION,
  type FittedDomain,
  type FittedWorkload,
} from '../../shared/fitted-workload';
import type { OpColumns } from './op-columns';
import type { DomainSeen } from './domains-seen';

export interface FitSource {
  file: { name: string; bytes: number; sha256: string };
  experimentId: number | null;
  pcpus: number;
  /** The dump's span (ns from its first TSC): exposure of vCPUs still alive at the end. */
  spanNs: number;
  cpuHz: number;
  wakeAs: 'post' | 'wake';
  /** Per guest domain as the import saw it (pauses, destroyed); absent domains count 0 pauses. */
  domainsSeen: DomainSeen[];
}

/** What a vCPU's next op means for the fit. */
const AWAKE_UNTIMED = 0; // created, or its wake-up not seen: the next burst is censored
const WOKEN = 1; // posted / woken at `since`: the next run ends a wake-to-run delay
const RUNNING = 2; // running since `since` after a wake-up: the next block ends a run burst
const BLOCKED = 3; // blocked since `since`

class VcpuAcc {
  state = AWAKE_UNTIMED;
  since = 0;
  end = -1;
  readonly run: number[] = [];
  /** Awake spans cut by the dump's edges: creation to the first block, last wake-up to the end. */
  readonly censored: number[] = [];
  readonly blocked: number[] = [];
  readonly wakeToRun: number[] = [];
  blocks = 0;
  posts = 0;
  wakes = 0;
  readonly pcpus = new Map<number, number>();
  constructor(
    readonly dom: number,
    readonly vcpu: number,
    readonly pi: boolean,
    readonly created: number,
  ) {
    this.since = created;
  }
}

export function fitWorkload(ops: OpColumns, src: FitSource): FittedWorkload {
  const accs = new Map<number, VcpuAcc>();
  const { code, t, a, b, c } = ops;
  for (let i = 0; i < code.length; i++) {
    const op = code[i];
    if (op === OpCode.pcpus || op === OpCode.pcpu_offline || op === OpCode.pcpu_online) continue;
    const key = a[i] * 65536 + b[i];
    const now = t[i];
    if (op === OpCode.vcpu_create) {
      // A destroyed vCPU created again starts a new life; the fit keeps the first one only.
      if (!accs.has(key)) accs.set(key, new VcpuAcc(a[i], b[i], c[i] !== 0, now));
      continue;
    }
    const v = accs.get(key);
    if (!v || v.end >= 0) continue;
    switch (op) {
      case OpCode.vcpu_destroy:
        v.end = now;
        break;
      case OpCode.run:
        if (v.state === WOKEN) {
          v.wakeToRun.push(now - v.since);
          v.state = RUNNING;
          v.since = now;
        }
        break;
      case OpCode.block:
        if (v.state === RUNNING) v.run.push(now - v.since);
        else if (v.state === AWAKE_UNTIMED) v.censored.push(now - v.since);
        v.blocks++;
        v.pcpus.set(c[i], (v.pcpus.get(c[i]) ?? 0) + 1);
        v.state = BLOCKED;
        v.since = now;
        break;
      case OpCode.post:
      case OpCode.wake:
        if (v.state !== BLOCKED) break;
        v.blocked.push(now - v.since);
        if (op === OpCode.post) v.posts++;
        else v.wakes++;
        v.state = WOKEN;
        v.since = now;
        break;
    }
  }
  const seen = new Map(src.domainsSeen.map((d) => [d.dom, d]));
  const byDom = new Map<number, FittedDomain>();
  for (const v of [...accs.values()].sort((x, y) => x.dom - y.dom || x.vcpu - y.vcpu)) {
    let d = byDom.get(v.dom);
    if (!d) {
      const s = seen.get(v.dom);
      d = {
        dom: v.dom,
        pi: v.pi,
        pauses: s?.pauses ?? 0,
        destroyed: s?.destroyed ?? false,
        vcpus: [],
      };
      byDom.set(v.dom, d);
    }
    const endNs = v.end >= 0 ? v.end : src.spanNs;
    const exposureNs = Math.max(0, endNs - v.created);
    if (v.state !== BLOCKED && endNs > v.since) v.censored.push(endNs - v.since);
    const blockedNs = buildQuantileTable(v.blocked);
    const wakeToRunNs = buildQuantileTable(v.wakeToRun);
    const run = exposureMatched(
      [...v.run, ...v.censored],
      v.blocks > 0 ? exposureNs / v.blocks - blockedNs.mean - wakeToRunNs.mean : 0,
    );
    d.vcpus.push({
      vcpu: v.vcpu,
      runNs: run.table,
      runScale: run.scale,
      blockedNs,
      wakeToRunNs,
      blocks: v.blocks,
      posts: v.posts,
      wakes: v.wakes,
      exposureNs,
      blocksPerSec: exposureNs > 0 ? (v.blocks * 1e9) / exposureNs : 0,
      blockPcpus: [...v.pcpus].sort((x, y) => x[0] - y[0]),
    });
  }
  const domains = [...byDom.values()];
  const notes: string[] = [];
  if (domains.length === 0)
    notes.push('The dump names no HVM domain: nothing to fit (see --pi-domains).');
  if (src.wakeAs === 'post')
    notes.push(
      'Imported with wake-ups as posts: every blocked period ends in a device post (post share 1).',
    );
  return {
    kind: FIT_KIND,
    version: FIT_VERSION,
    source: {
      file: src.file.name,
      bytes: src.file.bytes,
      sha256: src.file.sha256,
      experimentId: src.experimentId,
      pcpus: src.pcpus,
      spanNs: src.spanNs,
      cpuHz: src.cpuHz,
      wakeAs: src.wakeAs,
    },
    domains,
    notes,
  };
}

/**
 * The run-burst table: the complete bursts and the censored edge spans, scaled so the table's
 * mean is `targetMean` = exposure / blocks - mean blocked - mean wake-to-run. A generator cycling
 * run -> block -> wake -> run then blocks at the dump's rate (blocks per second of exposure) in
 * expectation, where the complete bursts alone would overstate it: the long awake spans at the
 * dump's edges are exactly the ones a short dump cuts. No target (no block, or a non-positive
 * one): the samples unscaled.
 */
function exposureMatched(
  samples: number[],
  targetMean: number,
): { table: ReturnType<typeof buildQuantileTable>; scale: number } {
  const table = buildQuantileTable(samples);
  if (!(targetMean > 0) || !(table.mean > 0)) return { table, scale: 1 };
  const scale = targetMean / table.mean;
  return {
    table: {
      n: table.n,
      mean: targetMean,
      q: table.q.map((x) => x * scale),
      m: table.m.map((x) => x * scale),
    },
    scale,
  };
}
