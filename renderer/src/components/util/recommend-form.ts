/**
 * The "Recommend K…" form's model (views/RecommendView.vue), pure: its fields as typed, the
 * defaults (the CLI's grid, the two targets), and the check that turns them into a
 * `recommend.start` request or names what to fix, field by field, before anything is sent.
 */
import { POLICY_NAMES, type PolicyName } from '../../../../shared/params';
import {
  parseTarget,
  RECOMMEND_METRICS,
  TargetError,
  type TargetOp,
} from '../../../../shared/recommend';
import { RECOMMEND_DEFAULTS, type RecommendRequest } from '../../../../shared/recommend-request';
import { parseIntList, parseTime } from './format';

export interface TargetRow {
  metric: string;
  op: TargetOp;
  /** As typed. */
  value: string;
}

export interface RecommendForm {
  baseKind: 'preset' | 'experiment';
  preset: string;
  /** The saved run's id, as typed. */
  experimentId: string;
  targets: TargetRow[];
  policies: PolicyName[];
  /** "0, 1, 2, 4-8": integers and ranges. */
  Ks: string;
  seeds: string;
  /** Virtual time per run ("100 ms", "1 s"); empty: the base's own. */
  duration: string;
  title: string;
}

export const TARGET_OPS: TargetOp[] = ['<=', '<', '>=', '>'];
export const TARGET_METRICS = Object.keys(RECOMMEND_METRICS);
export { POLICY_NAMES };

/**
 * A preset base starts light and where K matters (domain-churn at 100 ms, as a new sweep does);
 * a saved run keeps its own duration. The targets are the issue's: walk p99 and remote share.
 */
export function defaultForm(opts: {
  preset?: string | null;
  experimentId?: number | null;
}): RecommendForm {
  const fromRun = opts.experimentId != null;
  return {
    baseKind: fromRun ? 'experiment' : 'preset',
    preset: opts.preset ?? 'domain-churn',
    experimentId: fromRun ? String(opts.experimentId) : '',
    targets: [
      { metric: 'p99WalkNs', op: '<=', value: '20000' },
      { metric: 'remoteFraction', op: '<=', value: '0.05' },
    ],
    policies: [...RECOMMEND_DEFAULTS.policies],
    Ks: RECOMMEND_DEFAULTS.Ks.join(', '),
    seeds: String(RECOMMEND_DEFAULTS.seeds),
    duration: fromRun ? '' : '100 ms',
    title: '',
  };
}

export const targetText = (r: TargetRow): string => `${r.metric}${r.op}${r.value.trim()}`;

export interface FormCheck {
  /** The request to send, or null while some field is wrong. */
  request: RecommendRequest | null;
  /** Field -> what is wrong ('base', 'targets', 'target.<i>', 'policies', 'Ks', 'seeds', 'duration'). */
  errors: Record<string, string>;
  /** Runs the sweep will need (K x policies x seeds), 0 while a factor is unknown. */
  runs: number;
}

export function checkForm(f: RecommendForm): FormCheck {
  const errors: Record<string, string> = {};
  let base: RecommendRequest['base'] | null = null;
  if (f.baseKind === 'preset') {
    if (f.preset) base = { preset: f.preset };
    else errors.base = 'choose a preset';
  } else {
    const id = Number(f.experimentId);
    if (f.experimentId.trim() !== '' && Number.isInteger(id) && id > 0) base = { experimentId: id };
    else errors.base = 'give the id of a saved simulation run';
  }

  if (!f.targets.length) errors.targets = 'give at least one target';
  f.targets.forEach((r, i) => {
    if (r.value.trim() === '') errors[`target.${i}`] = 'give a value';
    else
      try {
        parseTarget(targetText(r));
      } catch (e) {
        if (!(e instanceof TargetError)) throw e;
        errors[`target.${i}`] = e.message;
      }
  });

  const policies = POLICY_NAMES.filter((p) => f.policies.includes(p));
  if (!policies.length) errors.policies = 'tick at least one policy';

  const ks = parseIntList(f.Ks, 1 << 24);
  let Ks: number[] = [];
  if (!ks.ok) errors.Ks = ks.error;
  else if (!ks.value.length) errors.Ks = 'give at least one K, e.g. 0, 4, 16';
  else if (ks.value.length > 256) errors.Ks = `${ks.value.length} K values; at most 256`;
  else Ks = ks.value;

  const seeds = Number(f.seeds);
  const seedsOk = f.seeds.trim() !== '' && Number.isInteger(seeds) && seeds >= 1 && seeds <= 100;
  if (!seedsOk) errors.seeds = 'an integer in [1, 100]';

  let durationNs: number | undefined;
  if (f.duration.trim() !== '') {
    const d = parseTime(f.duration, 'ms');
    if (d === null || d <= 0)
      errors.duration = 'a time, e.g. 100 ms or 1 s (empty: the base’s own)';
    else durationNs = Math.round(d);
  }

  const runs = Ks.length * policies.length * (seedsOk ? seeds : 0);
  const title = f.title.trim();
  const request: RecommendRequest | null =
    Object.keys(errors).length || !base
      ? null
      : {
          base,
          targets: f.targets.map(targetText),
          policies,
          Ks,
          seeds,
          ...(durationNs !== undefined && { durationNs }),
          ...(title && { title }),
        };
  return { request, errors, runs };
}
