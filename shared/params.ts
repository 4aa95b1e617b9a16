/**
 * Parameters of runs, as validated at the API boundary (zod) and stored with each experiment.
 * The engine (main/engine) gives them meaning; ../shared/docs/model.md is the contract.
 */
import { z } from 'zod';

export const POLICY_NAMES = [
  'upstream',
  'series',
  'least-loaded',
  'two-choices',
  'random-under-bound',
] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export const PolicyConfigSchema = z
  .object({
    policy: z.enum(POLICY_NAMES),
    /** The constant of bound = floor(H / P) + K. Default 128 (the series' rationale). */
    K: z
      .number()
      .int()
      .min(0)
      .max(1 << 24)
      .default(128),
    /** `<`: a list takes the vCPU while length < bound (the cover letter's wording). */
    compare: z.enum(['<', '<=']).default('<'),
    /** H counts every HVM vCPU (the series) or only those of PI domains. */
    hCounts: z.enum(['all', 'pi']).default('all'),
    /** Denominator and candidate set: all online pCPUs, or this pool (its online members). */
    pool: z.array(z.number().int().min(0)).nullable().default(null),
    fixup: z.enum(['random', 'cycle']).default('random'),
    /**
     * Coalesced wakeups: the wakeup-interrupt handler runs this many ns after the post that sent
     * its notification, and removes every entry of its list posted by then in one walk (Xen's
     * pi_wakeup_interrupt). Absent or 0: off, each post walks at once (model.md).
     */
    coalesceNs: z.number().min(0).max(1e9).optional(),
  })
  .strict();
export type PolicyConfig = z.infer<typeof PolicyConfigSchema>;
export type PolicyConfigInput = z.input<typeof PolicyConfigSchema>;

export const CostModelSchema = z
  .object({
    walkNsPerEntry: z.number().min(0).max(1e9).default(170),
    interruptEntryNs: z.number().min(0).max(1e9).default(500),
  })
  .strict();

const positiveNs = z.number().positive().max(1e18);

/** A scheduled change: domains appear/disappear, pCPUs go off/online. */
export const HotplugEventSchema = z
  .object({ tNs: z.number().min(0), pcpu: z.number().int().min(0), online: z.boolean() })
  .strict();

/** The stochastic workload generator's knobs. */
export const WorkloadSchema = z
  .object({
    pcpus: z.number().int().min(1).max(4096),
    domains: z
      .number()
      .int()
      .min(0)
      .max(1 << 16),
    vcpusPerDomain: z.number().int().min(1).max(512),
    /** Fraction of domains with a passed-through device (their vCPUs use PI lists). */
    piFraction: z.number().min(0).max(1).default(1),
    /** Mean run time before a vCPU blocks, ns (exponential). */
    runNs: positiveNs.default(2e6),
    /** Mean time blocked before a device interrupt arrives, ns (exponential). */
    blockNs: positiveNs.default(10e6),
    /** Probability that a blocked vCPU is woken by something other than a device (timer, evtchn). */
    otherWakeProb: z.number().min(0).max(1).default(0.3),
    /** Delay between a wake and the vCPU running again, ns (exponential mean). */
    wakeToRunNs: positiveNs.default(50e3),
    /**
     * Shape of the run / block / wake-to-run times around their means: `exponential`, or
     * `uniform` on [0.5, 1.5] x mean (bounded, so a storm can be staged: with blockNs > 3 x runNs
     * every vCPU blocks before the first device interrupt arrives).
     */
    dist: z.enum(['exponential', 'uniform']).default('exponential'),
    /** Where vCPUs run: spread evenly, all on pCPU 0 (the seed's worst case), or random. */
    placement: z.enum(['spread', 'pcpu0', 'random']).default('spread'),
    /** Domains created (and destroyed) during the run, per second of virtual time. */
    domainChurnPerSec: z.number().min(0).max(1e6).default(0),
    hotplug: z.array(HotplugEventSchema).max(10000).default([]),
    durationNs: positiveNs.default(1e9),
  })
  .strict();
export type Workload = z.infer<typeof WorkloadSchema>;
export type WorkloadInput = z.input<typeof WorkloadSchema>;

export const SimParamsSchema = z
  .object({
    /** Name of the preset this run started from, if any (informative). */
    preset: z.string().max(100).nullable().default(null),
    workload: WorkloadSchema,
    policy: PolicyConfigSchema,
    costs: CostModelSchema.default({ walkNsPerEntry: 170, interruptEntryNs: 500 }),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(1),
    /** Time buckets of the recorded series. */
    buckets: z.number().int().min(16).max(65536).default(4096),
  })
  .strict();
export type SimParams = z.infer<typeof SimParamsSchema>;
export type SimParamsInput = z.input<typeof SimParamsSchema>;
