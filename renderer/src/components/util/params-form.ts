/**
 * The simulation setup form as data: every field of `SimParamsSchema` with its label, unit, help
 * text and the source of its default, plus validation through the same zod schema main uses
 * (field-level messages keyed by the dotted path, e.g. `workload.pcpus`).
 */
import { SimParamsSchema, POLICY_NAMES, type SimParamsInput } from '../../../../shared/params';

export type FieldKind = 'int' | 'number' | 'enum' | 'intlist' | 'duration';

export interface FieldMeta {
  /** Dotted path into SimParams, e.g. `policy.K`. */
  path: string;
  group: 'Workload' | 'Policy' | 'Costs' | 'Run';
  label: string;
  kind: FieldKind;
  /** Unit shown next to the input (for `duration`, the display unit; values are stored in ns). */
  unit: string;
  /** Display unit -> stored unit factor (durations: ns per display unit). */
  scale?: number;
  options?: readonly string[];
  /** What the field means. */
  help: string;
  /** Where the default comes from. */
  source: string;
  /** Only meaningful for some policies. */
  policies?: readonly string[];
  optional?: boolean;
}

const BOUNDED = ['series', 'random-under-bound'];

export const PARAM_FIELDS: FieldMeta[] = [
  {
    path: 'workload.pcpus',
    group: 'Workload',
    label: 'pCPUs',
    kind: 'int',
    unit: 'pCPUs',
    help: 'Physical CPUs of the host, all online at t = 0 (P).',
    source: '112 pCPUs: the Skylake server of the series’ rationale (as recalled).',
  },
  {
    path: 'workload.domains',
    group: 'Workload',
    label: 'Domains',
    kind: 'int',
    unit: 'domains',
    help: 'HVM domains created at t = 0.',
    source:
      'Up to 32K domains × 128 vCPUs ≈ 4M vCPUs: the series’ motivation (cover letters v2–v4).',
  },
  {
    path: 'workload.vcpusPerDomain',
    group: 'Workload',
    label: 'vCPUs per domain',
    kind: 'int',
    unit: 'vCPUs',
    help: 'vCPUs of each domain; H = domains × vCPUs per domain.',
    source: '128: the HVM vCPU limit used in the series’ motivation.',
  },
  {
    path: 'workload.piFraction',
    group: 'Workload',
    label: 'PI fraction',
    kind: 'number',
    unit: '0..1',
    help: 'Fraction of domains with a passed-through device; only their vCPUs sit on PI blocking lists, but every HVM vCPU counts in H.',
    source:
      '1: every domain has a device (worst case). Hooks are installed by vmx_pi_hooks_assign() on the first assignment.',
  },
  {
    path: 'workload.placement',
    group: 'Workload',
    label: 'Placement',
    kind: 'enum',
    unit: '',
    options: ['spread', 'pcpu0', 'random'],
    help: 'Where vCPUs run (and so block): spread evenly, all on pCPU 0, or random.',
    source:
      'pcpu0 is the seed’s worst case: every vCPU blocks on one pCPU, whose list then holds them all.',
  },
  {
    path: 'workload.runNs',
    group: 'Workload',
    label: 'Mean run time',
    kind: 'duration',
    unit: 'ms',
    scale: 1e6,
    help: 'Mean time a vCPU runs before it blocks (exponential).',
    source: '2 ms: a lab placeholder; no measured distribution exists.',
  },
  {
    path: 'workload.blockNs',
    group: 'Workload',
    label: 'Mean block time',
    kind: 'duration',
    unit: 'ms',
    scale: 1e6,
    help: 'Mean time blocked before a device interrupt is posted (exponential).',
    source: '10 ms: a lab placeholder; no measured distribution exists.',
  },
  {
    path: 'workload.otherWakeProb',
    group: 'Workload',
    label: 'Other-wake probability',
    kind: 'number',
    unit: '0..1',
    help: 'Probability that a blocked vCPU is woken by a timer or event channel instead of its device (no walk; it stays listed until it runs).',
    source: '0.3: a lab placeholder.',
  },
  {
    path: 'workload.wakeToRunNs',
    group: 'Workload',
    label: 'Wake → run delay',
    kind: 'duration',
    unit: 'µs',
    scale: 1e3,
    help: 'Mean delay between a wake and the vCPU running again (VM entry removes it from its list).',
    source: '50 µs: a lab placeholder for the scheduler’s wake latency.',
  },
  {
    path: 'workload.dist',
    group: 'Workload',
    label: 'Time distribution',
    kind: 'enum',
    unit: '',
    options: ['exponential', 'uniform'],
    help: 'Shape of run, block and wake → run times around their means: exponential, or uniform on [0.5, 1.5] × mean (bounded, so a storm can be staged: with block > 3 × run every vCPU blocks before the first device interrupt).',
    source:
      'exponential: the usual memoryless default; seed-worst-case uses uniform to stage the storm.',
  },
  {
    path: 'workload.domainChurnPerSec',
    group: 'Workload',
    label: 'Domain churn',
    kind: 'number',
    unit: 'domains/s',
    help: 'Domains created and destroyed per second of virtual time (H moves, so the bound moves).',
    source: '0: a static population.',
  },
  {
    path: 'workload.durationNs',
    group: 'Workload',
    label: 'Duration',
    kind: 'duration',
    unit: 'ms',
    scale: 1e6,
    help: 'Virtual time simulated.',
    source: 'Schema default 1 s; a new setup starts at 100 ms so a first run is quick.',
  },
  {
    path: 'policy.policy',
    group: 'Policy',
    label: 'Policy',
    kind: 'enum',
    unit: '',
    options: POLICY_NAMES,
    help: 'Where a blocking vCPU is listed. upstream: the local pCPU (Xen today, and KVM). series: the local pCPU if its list is under the bound, else the next online pCPU under it (cycling up). least-loaded: the shortest list (reference). two-choices: local or one random pCPU, the shorter. random-under-bound: random pCPUs until one is under the bound.',
    source:
      'series follows the v4 cover letter; the patch bodies were not found, so its details are knobs.',
  },
  {
    path: 'policy.K',
    group: 'Policy',
    label: 'K',
    kind: 'int',
    unit: 'entries',
    help: 'The constant of bound = floor(H / P) + K.',
    source:
      'K = 128: the series’ default (cover letter v4 rationale as recalled: a 128-entry walk ≈ 22 µs). A default, not a fact.',
    policies: BOUNDED,
  },
  {
    path: 'policy.compare',
    group: 'Policy',
    label: 'Comparison',
    kind: 'enum',
    unit: '',
    options: ['<', '<='],
    help: 'A list takes the vCPU while length < bound (or ≤ bound).',
    source: '“<”: the cover letter’s wording (“if list length is smaller than the upper bound”).',
    policies: BOUNDED,
  },
  {
    path: 'policy.hCounts',
    group: 'Policy',
    label: 'H counts',
    kind: 'enum',
    unit: '',
    options: ['all', 'pi'],
    help: 'H counts every HVM vCPU, or only those of domains with a device.',
    source: '“all”: v4 counts HVM vCPUs in hvm_vcpu_{initialise,destroy}.',
    policies: BOUNDED,
  },
  {
    path: 'policy.pool',
    group: 'Policy',
    label: 'pCPU pool',
    kind: 'intlist',
    unit: 'pCPU ids',
    help: 'Denominator and candidate set: empty = all online pCPUs; or a pool such as “0-15, 32”.',
    source:
      'Empty: num_online_cpus() is the likeliest denominator (unknown; a cpupool is the alternative).',
    optional: true,
  },
  {
    path: 'policy.fixup',
    group: 'Policy',
    label: 'Offline fix-up',
    kind: 'enum',
    unit: '',
    options: ['random', 'cycle'],
    help: 'Where entries of a pCPU going offline move: a random online pCPU, or the first under the bound cycling upwards (deterministic).',
    source:
      '“random”: upstream vmx_pi_desc_fixup() uses cpumask_any(), random since 829b8498cc (2013).',
  },
  {
    path: 'policy.coalesceNs',
    group: 'Policy',
    label: 'Coalesced wakeups',
    kind: 'duration',
    unit: 'µs',
    scale: 1e3,
    help: 'Wakeup handler latency: the wakeup interrupt runs this long after the post that notified it and removes, in one walk, every entry of its list posted by then. Empty or 0: off, one walk per post (an upper bound on walks).',
    source:
      'Off: model.md counts one walk per post. Xen’s pi_wakeup_interrupt() removes every entry with ON set in one walk; no measured handler latency exists (try a few µs).',
    optional: true,
  },
  {
    path: 'costs.walkNsPerEntry',
    group: 'Costs',
    label: 'Walk cost',
    kind: 'number',
    unit: 'ns/entry',
    help: 'Time per list entry walked by a wakeup interrupt (under the list lock, IRQs off).',
    source:
      '170 ns per entry: 22 µs / 128 entries measured on a 112-CPU Skylake, per the series’ rationale (as recalled).',
  },
  {
    path: 'costs.interruptEntryNs',
    group: 'Costs',
    label: 'Interrupt entry',
    kind: 'number',
    unit: 'ns',
    help: 'Fixed cost of taking a wakeup interrupt, added to each walk.',
    source: '500 ns: a placeholder; no sourced number exists (xen-pi.md §2.6).',
  },
  {
    path: 'seed',
    group: 'Run',
    label: 'Seed',
    kind: 'int',
    unit: '',
    help: 'Seed of the workload and policy RNGs: same seed, same parameters, same result.',
    source: '1.',
  },
  {
    path: 'buckets',
    group: 'Run',
    label: 'Time buckets',
    kind: 'int',
    unit: 'buckets',
    help: 'Resolution of the recorded series (min/max/mean/last per bucket, so peaks survive).',
    source: '4096.',
  },
];

export const FIELD_BY_PATH = new Map(PARAM_FIELDS.map((f) => [f.path, f]));

/** The schema's defaults for a small, quick run. */
export function defaultParams(): SimParamsInput {
  return SimParamsSchema.parse({
    workload: { pcpus: 8, domains: 16, vcpusPerDomain: 4, durationNs: 100e6 },
    policy: { policy: 'series' },
  }) as SimParamsInput;
}

export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let cur = obj;
  for (const k of keys.slice(0, -1)) {
    if (cur[k] === null || typeof cur[k] !== 'object') cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]] = value;
}

/** Fills a (possibly partial) params input with the schema defaults; falls back to defaults. */
export function normalizeParams(input: unknown): SimParamsInput {
  const r = SimParamsSchema.safeParse(input);
  if (r.success) return structuredClone(r.data) as SimParamsInput;
  const base = defaultParams() as Record<string, unknown>;
  if (input && typeof input === 'object') {
    for (const f of PARAM_FIELDS) {
      const v = getPath(input, f.path);
      if (v !== undefined) setPath(base, f.path, v);
    }
    const hp = getPath(input, 'workload.hotplug');
    if (Array.isArray(hp)) setPath(base, 'workload.hotplug', hp);
    const preset = getPath(input, 'preset');
    if (typeof preset === 'string') base.preset = preset;
  }
  return base as SimParamsInput;
}

export interface ValidationResult {
  ok: boolean;
  /** dotted path -> first message */
  fieldErrors: Record<string, string>;
  /** messages not tied to a known field */
  formErrors: string[];
}

/** Validates with SimParamsSchema; messages keyed by the dotted path of the offending field. */
export function validateParams(input: unknown): ValidationResult {
  const r = SimParamsSchema.safeParse(input);
  const fieldErrors: Record<string, string> = {};
  const formErrors: string[] = [];
  if (r.success) return { ok: true, fieldErrors, formErrors };
  for (const issue of r.error.issues) {
    const full = issue.path.map(String).join('.');
    // Hotplug rows keep their row path (workload.hotplug.3.tNs); array items map to their field
    // (policy.pool.2 -> policy.pool).
    let path = full;
    while (path && !FIELD_BY_PATH.has(path) && !/^workload\.hotplug\.\d+\.\w+$/.test(path))
      path = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '';
    const msg = issue.message;
    if (path) {
      if (!(path in fieldErrors)) fieldErrors[path] = msg;
    } else formErrors.push(full ? `${full}: ${msg}` : msg);
  }
  return { ok: false, fieldErrors, formErrors };
}

/** Converts a stored value to the text of its input. */
export function toDisplay(f: FieldMeta, v: unknown): string {
  if (v === null || v === undefined) return '';
  if (f.kind === 'intlist') return Array.isArray(v) ? v.join(', ') : '';
  if (f.kind === 'duration' && typeof v === 'number')
    return String(+(v / (f.scale ?? 1)).toPrecision(12));
  return String(v);
}

/**
 * Converts an input's text to the stored value. Numbers that do not parse become NaN so the schema
 * reports them at the right field ("expected number").
 */
export function fromDisplay(f: FieldMeta, text: string): unknown {
  const t = text.trim();
  if (f.kind === 'enum') return t;
  if (f.kind === 'intlist') {
    if (!t) return null;
    const parts = t.split(/[\s,]+/).filter(Boolean);
    const out: number[] = [];
    for (const p of parts) {
      const r = /^(\d+)(?:-(\d+))?$/.exec(p);
      if (!r) return [NaN];
      const a = Number(r[1]);
      const b = r[2] === undefined ? a : Number(r[2]);
      for (let i = a; i <= b && out.length <= 4096; i++) out.push(i);
    }
    return out;
  }
  if (t === '') return f.optional ? undefined : NaN;
  const n = Number(t);
  if (f.kind === 'duration') return n * (f.scale ?? 1);
  return n;
}

/** Total HVM vCPUs and the initial bound floor(H / P) + K, for the setup's summary line. */
export function derived(p: SimParamsInput): { H: number; bound: number | null } {
  const w = p.workload;
  const H = (w?.domains ?? 0) * (w?.vcpusPerDomain ?? 0);
  const P = p.policy?.pool?.length ? p.policy.pool.length : (w?.pcpus ?? 0);
  const K = p.policy?.K ?? 128;
  const piH = Math.round(H * (w?.piFraction ?? 1));
  const h = p.policy?.hCounts === 'pi' ? piH : H;
  const bounded = BOUNDED.includes(String(p.policy?.policy));
  return { H, bound: bounded && P > 0 ? Math.floor(h / P) + K : null };
}

/** The schema's own default of each field that has one (required fields have none). */
export const SCHEMA_DEFAULTS: Record<string, unknown> = (() => {
  const parsed = SimParamsSchema.parse({
    workload: { pcpus: 1, domains: 1, vcpusPerDomain: 1 },
    policy: { policy: 'upstream' },
  });
  const out: Record<string, unknown> = {};
  const required = new Set(['workload.pcpus', 'workload.domains', 'workload.vcpusPerDomain']);
  for (const f of PARAM_FIELDS) {
    if (required.has(f.path) || f.path === 'policy.policy') continue;
    out[f.path] = getPath(parsed, f.path);
  }
  return out;
})();

/** True when `value` differs from the schema default of `path` (false when there is none). */
export function differsFromDefault(path: string, value: unknown): boolean {
  if (!(path in SCHEMA_DEFAULTS)) return false;
  return JSON.stringify(SCHEMA_DEFAULTS[path] ?? null) !== JSON.stringify(value ?? null);
}
