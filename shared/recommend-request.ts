/**
 * The app's "Recommend K…" request (`recommend.start`, docs/notebook.md "Recommend"): which base
 * to sweep K over, the targets, and the grid, with the defaults the CLI uses too.
 *
 * A new kind of base is one more member of `RecommendBaseSchema` here and one more case of
 * `resolveRecommendBase` in main/api/recommend-base.ts; nothing else reads the request's base.
 */
import { z } from 'zod';
import { POLICY_NAMES, type PolicyName } from './params';
import { parseTarget, TargetError } from './recommend';

/** `recommend`'s grid when not given: K 0..128, the series and its random variant, 3 seeds. */
export const RECOMMEND_DEFAULTS: {
  Ks: readonly number[];
  policies: readonly PolicyName[];
  seeds: number;
} = {
  Ks: [0, 1, 2, 4, 8, 16, 32, 64, 128],
  policies: ['series', 'random-under-bound'],
  seeds: 3,
};

const id = z.number().int().positive();

/**
 * What K is swept over: a preset, or a saved run (its params: the stochastic generator's, or a
 * workload fitted from a dump).
 */
export const RecommendBaseSchema = z.union([
  z.object({ preset: z.string().min(1).max(100) }).strict(),
  z.object({ experimentId: id }).strict(),
]);
export type RecommendBase = z.infer<typeof RecommendBaseSchema>;

/** A target as written (`p99WalkNs<=20000`); a misspelt metric is refused with the valid names. */
const TargetTextSchema = z
  .string()
  .max(200)
  .superRefine((text, ctx) => {
    try {
      parseTarget(text);
    } catch (e) {
      if (!(e instanceof TargetError)) throw e;
      ctx.addIssue({ code: 'custom', message: e.message });
    }
  });

export const RecommendRequestSchema = z
  .object({
    base: RecommendBaseSchema,
    /** Every one must hold on every seed (shared/recommend.ts parseTarget). */
    targets: z.array(TargetTextSchema).min(1, 'give at least one target').max(16),
    /** Default RECOMMEND_DEFAULTS.policies; repeated names count once. */
    policies: z
      .array(z.enum(POLICY_NAMES))
      .min(1)
      .max(POLICY_NAMES.length * 4)
      .optional(),
    /** Default RECOMMEND_DEFAULTS.Ks; sorted, repeated values count once. */
    Ks: z
      .array(
        z
          .number()
          .int()
          .min(0)
          .max(1 << 24),
      )
      .min(1)
      .max(256)
      .optional(),
    /** Seeds 1..seeds per point (default 3). */
    seeds: z.number().int().min(1).max(100).optional(),
    /** Virtual time per run, ns (default: the base's own). */
    durationNs: z.number().positive().max(1e18).optional(),
    /** The sweep group's title (default `recommend <preset> · K × policy × seed`). */
    title: z.string().max(200).optional(),
  })
  .strict();
export type RecommendRequest = z.input<typeof RecommendRequestSchema>;

/** The grid a request asks for, with the defaults filled in and normalised as the CLI does. */
export function recommendGridOf(req: { policies?: PolicyName[]; Ks?: number[]; seeds?: number }): {
  Ks: number[];
  policies: PolicyName[];
  seeds: number[];
} {
  const Ks = [...new Set(req.Ks ?? RECOMMEND_DEFAULTS.Ks)].sort((a, b) => a - b);
  const policies = [...new Set(req.policies ?? RECOMMEND_DEFAULTS.policies)];
  const n = req.seeds ?? RECOMMEND_DEFAULTS.seeds;
  return { Ks, policies, seeds: Array.from({ length: n }, (_, i) => i + 1) };
}
