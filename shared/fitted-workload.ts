/**
 * A workload fitted from a real dump (issue 14, item 1): per HVM vCPU, empirical distributions of
 * its run bursts, blocked durations and wake-to-run delays as compact quantile tables, and how its
 * wake-ups split between device posts and plain wakes; per domain its vCPUs and pauses. Stored with
 * a run's params (so the run can be reproduced) and plotted by the renderer, hence in shared/ and
 * validated with zod. docs/engine.md ("Workloads fitted from a dump") is the reference.
 */
import { z } from 'zod';
import { SimParamsSchema } from './params';

/** Bumped whenever the same op stream would give a different fit. */
export const FIT_VERSION = 1;
export const FIT_KIND = 'xen-pi-lab/fitted-workload';
/** Probability slices of a table: 32 slices, 33 boundaries (0, 1/32, ..., 1). */
export const FIT_SLICES = 32;

/**
 * An empirical distribution of durations (ns) in 32 equal-probability slices of its sorted
 * samples: `q[j]` is the smallest sample of slice j (q[32] the largest sample of all) and `m[j]`
 * the slice's mean, so q[j] <= m[j] <= q[j + 1]. Sampling (`sampleTable`) keeps every slice's
 * mean, hence the table's mean is the samples' mean exactly. Empty (`n` = 0): no sample seen.
 */
export interface QuantileTable {
  n: number;
  /** Mean of the samples (ns); 0 when n = 0. */
  mean: number;
  /** 33 boundaries (ns), non-decreasing; [] when n = 0. */
  q: number[];
  /** 32 slice means (ns); [] when n = 0. */
  m: number[];
}

export interface FittedVcpu {
  vcpu: number;
  /**
   * Run bursts (ns): from the first `run` after a wake-up to the next `block`, plus the awake
   * spans cut by the dump's edges, all scaled by `runScale` so that a cycle's mean is the dump's
   * exposure per block (docs/engine.md, "Workloads fitted from a dump").
   */
  runNs: QuantileTable;
  /** The factor applied to the run-burst samples (1: none). */
  runScale: number;
  /** Blocked durations: from `block` to the `post` or `wake` that ends it (ns). */
  blockedNs: QuantileTable;
  /** Wake-to-run delays: from a `post` / `wake` to the vCPU's next `run` (ns). */
  wakeToRunNs: QuantileTable;
  blocks: number;
  /** Blocked periods ended by a device post / by a plain wake. */
  posts: number;
  wakes: number;
  /** Time the vCPU existed in the dump: its first op to its destroy or the dump's end (ns). */
  exposureNs: number;
  /** Blocks per second of `exposureNs` (the dump's own figure, for the checks). */
  blocksPerSec: number;
  /** pCPUs it blocked on, with counts (the `trace` placement draws from them). */
  blockPcpus: [pcpu: number, count: number][];
}

export interface FittedDomain {
  dom: number;
  /** The dump marked it as having an assigned device (its vCPUs use PI lists). */
  pi: boolean;
  /** running/runnable/blocked -> offline records (Xen pauses) the dump shows for it. */
  pauses: number;
  destroyed: boolean;
  vcpus: FittedVcpu[];
}

export interface FittedWorkload {
  kind: typeof FIT_KIND;
  version: number;
  source: {
    /** File name, size and sha256 of the dump. */
    file: string;
    bytes: number;
    sha256: string;
    /** The notebook's trace experiment it came from (null: a file imported on the fly). */
    experimentId: number | null;
    /** pCPUs of the dump's host, and the dump's time span (ns). */
    pcpus: number;
    spanNs: number;
    cpuHz: number;
    /** The import's rule for blocked -> runnable (`post` makes every wake-up a post). */
    wakeAs: 'post' | 'wake';
  };
  domains: FittedDomain[];
  notes: string[];
}

const ns = z.number().finite().min(0);
export const QuantileTableSchema = z
  .object({
    n: z.number().int().min(0),
    mean: ns,
    q: z.array(ns).refine((a) => a.length === 0 || a.length === FIT_SLICES + 1, '33 boundaries'),
    m: z.array(ns).refine((a) => a.length === 0 || a.length === FIT_SLICES, '32 slice means'),
  })
  .strict()
  .refine((t) => (t.n === 0) === (t.q.length === 0) && t.q.length === t.m.length + (t.n ? 1 : 0), {
    message: 'an empty table has no boundaries; a non-empty one has 33 and 32 means',
  });

const FittedVcpuSchema = z
  .object({
    vcpu: z.number().int().min(0).max(0xffff),
    runNs: QuantileTableSchema,
    runScale: z.number().positive().finite(),
    blockedNs: QuantileTableSchema,
    wakeToRunNs: QuantileTableSchema,
    blocks: z.number().int().min(0),
    posts: z.number().int().min(0),
    wakes: z.number().int().min(0),
    exposureNs: ns,
    blocksPerSec: ns,
    blockPcpus: z.array(z.tuple([z.number().int().min(0), z.number().int().min(1)])),
  })
  .strict();

export const FittedWorkloadSchema = z
  .object({
    kind: z.literal(FIT_KIND),
    version: z.number().int().min(1),
    source: z
      .object({
        file: z.string().max(4096),
        bytes: z.number().int().min(0),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        experimentId: z.number().int().min(1).nullable(),
        pcpus: z.number().int().min(1).max(65536),
        spanNs: ns,
        cpuHz: z.number().positive(),
        wakeAs: z.enum(['post', 'wake']),
      })
      .strict(),
    domains: z
      .array(
        z
          .object({
            dom: z.number().int().min(0),
            pi: z.boolean(),
            pauses: z.number().int().min(0),
            destroyed: z.boolean(),
            vcpus: z.array(FittedVcpuSchema).max(512),
          })
          .strict(),
      )
      .max(65536),
    notes: z.array(z.string()),
  })
  .strict();

/** The table of `samples` (ns; any order). */
export function buildQuantileTable(samples: ArrayLike<number>): QuantileTable {
  const n = samples.length;
  if (n === 0) return { n: 0, mean: 0, q: [], m: [] };
  const x = Float64Array.from(samples).sort();
  // Slice j covers the sorted samples' probability [j/32, (j+1)/32): sample i holds [i/n, (i+1)/n).
  const q: number[] = [];
  const m: number[] = [];
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i];
  for (let j = 0; j < FIT_SLICES; j++) {
    const lo = (j * n) / FIT_SLICES;
    const hi = ((j + 1) * n) / FIT_SLICES;
    q.push(x[Math.floor(lo)]);
    // The step function's integral over [lo, hi), in units of samples, divided by the width.
    let acc = 0;
    for (let i = Math.floor(lo); i < hi; i++) acc += x[i] * (Math.min(i + 1, hi) - Math.max(i, lo));
    m.push(acc / (hi - lo));
  }
  q.push(x[n - 1]);
  // Rounding can put a mean a hair outside its slice; the sampler relies on q[j] <= m[j] <= q[j+1].
  for (let j = 0; j < FIT_SLICES; j++) m[j] = Math.min(q[j + 1], Math.max(q[j], m[j]));
  return { n, mean: sum / n, q, m };
}

/**
 * Inverse-CDF sampling of a table from two uniforms in [0, 1): `u` picks the slice, `v` the value
 * inside it as q[j] + (q[j+1] - q[j]) * v^a with a = 1/r - 1, r = (m[j] - q[j]) / (q[j+1] - q[j]),
 * whose mean is m[j] (E[v^a] = 1 / (a + 1) = r): linear interpolation when the slice's mean is
 * its midpoint, skewed towards the side the samples sit on otherwise. An empty table gives NaN.
 */
export function sampleTable(t: QuantileTable, u: number, v: number): number {
  if (t.n === 0) return NaN;
  const j = Math.min(FIT_SLICES - 1, Math.floor(u * FIT_SLICES));
  const lo = t.q[j];
  const w = t.q[j + 1] - lo;
  if (!(w > 0)) return lo;
  const r = (t.m[j] - lo) / w;
  if (r <= 0) return lo;
  if (r >= 1) return t.q[j + 1];
  return lo + w * Math.pow(v, 1 / r - 1);
}

/** The mean a table samples to (the samples' mean up to rounding); 0 for an empty table. */
export function tableMean(t: QuantileTable): number {
  if (t.n === 0) return 0;
  let s = 0;
  for (const x of t.m) s += x;
  return s / FIT_SLICES;
}

/** Where a fitted vCPU runs (and so blocks): see docs/engine.md. */
export const FITTED_PLACEMENTS = ['spread', 'pcpu0', 'random', 'trace'] as const;

/** A workload built from a fit: N domains sampled from the dump's, on P pCPUs. */
export const TraceWorkloadSchema = z
  .object({
    fit: FittedWorkloadSchema,
    domains: z
      .number()
      .int()
      .min(1)
      .max(1 << 16),
    pcpus: z.number().int().min(1).max(4096),
    /**
     * `spread`: vCPU i on pCPU i mod P; `pcpu0`; `random`: a random pCPU at each run; `trace`: at
     * each run a pCPU drawn from those its source vCPU blocked on in the dump (mod P).
     */
    placement: z.enum(FITTED_PLACEMENTS).default('spread'),
    /** Domains drawn from the dump's with replacement (seeded), or in turn (k mod D). */
    sampling: z.enum(['replace', 'cycle']).default('replace'),
    durationNs: z.number().positive().max(1e18).default(1e9),
  })
  .strict();
export type TraceWorkload = z.infer<typeof TraceWorkloadSchema>;
export type TraceWorkloadInput = z.input<typeof TraceWorkloadSchema>;

/** The params stored with a run of a fitted workload (reproducible from them alone). */
export const TraceSimParamsSchema = SimParamsSchema.omit({ preset: true, workload: true })
  .extend({ traceWorkload: TraceWorkloadSchema })
  .strict();
export type TraceSimParams = z.infer<typeof TraceSimParamsSchema>;
export type TraceSimParamsInput = z.input<typeof TraceSimParamsSchema>;
