/**
 * Engine benchmark (issue 5): operations per second and peak RSS of whole simulations (generator +
 * host model + recorder), each case in a fresh process, beside a bare typed-array binary-heap hold
 * loop (pop one event, push one) over as many pending events, measured in the same process: the
 * ratio engine / limit says how close a run gets to the cost of merely ordering its events.
 * The "flat across list lengths" line compares runs that differ only in the list length (same host,
 * vCPUs and event queue); the pcpu0-* rows vary the vCPU count and are a separate, labelled line.
 * Figures are printed, never asserted. Run alone: `node --import tsx bench/engine.ts`.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { presetParams, simulate } from '../main/engine/index';
import { Rng } from '../main/engine/rng';
import { SimParamsSchema, type SimParamsInput } from '../shared/params';

const SELF = fileURLToPath(import.meta.url);

/**
 * CPU time of this process (user + system), ms: the machine is shared, so rates are per CPU
 * second (wall-clock figures are printed beside them).
 */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** A seed-worst-case shaped run (all vCPUs on pCPU 0, upstream) with n vCPUs. */
function pcpu0Case(n: number): SimParamsInput {
  const base = presetParams('seed-worst-case')!;
  const perDom = n >= 128 ? 128 : n;
  // About 2.5 M operations whatever n (each vCPU does ~3.4 ops per ~11.5 ms cycle).
  const durationNs = Math.max(8e6, Math.round((2.5e6 * 11.5e6) / (3.4 * n)));
  return {
    ...base,
    preset: null,
    workload: {
      ...base.workload,
      domains: Math.ceil(n / perDom),
      vcpusPerDomain: perDom,
      durationNs,
    },
  };
}

/**
 * The seed-worst-case host and population (4,194,304 vCPUs, 112 pCPUs, all running on and blocking
 * from pCPU 0, upstream, uniform times, 50 us wake-to-run) with the pCPU-0 list held at about
 * `len` entries: only the blocked time x changes. vCPUs run 0.5..1.5 x 6 ms, so blocks arrive at
 * ~4.19M / 6 ms = 7e8 per second and each stays listed 0.5..1.5 x x, so the list holds ~7e8 x x
 * of them. Every wakeup is a device post (a vCPU woken without a post stays listed until it runs,
 * 50 us later, which alone would hold ~1e4 entries). 6 ms of virtual time: every vCPU is created
 * and runs, about half block, are posted and run again (~15 M operations, like seed-worst-case).
 * Same vCPU count, pending events, vCPU records and recorder channels in every case: what differs
 * is the list length (and with it how soon a vCPU's post follows its block).
 */
function listCase(len: number): SimParamsInput {
  const base = presetParams('seed-worst-case')!;
  return {
    ...base,
    preset: null,
    workload: {
      ...base.workload,
      runNs: 6e6,
      blockNs: Math.round((len * 6e6) / 4_194_304),
      otherWakeProb: 0,
      durationNs: 6e6,
    },
  };
}

/** The seed-worst-case population spread evenly over p pCPUs (list lengths ~4.2M / p). */
function spreadCase(p: number): SimParamsInput {
  const base = presetParams('seed-worst-case')!;
  return { ...base, preset: null, workload: { ...base.workload, pcpus: p, placement: 'spread' } };
}

const CASES: Record<string, () => SimParamsInput> = {
  'seed-worst-case': () => presetParams('seed-worst-case')!,
  'vcpus-1000': () => ({
    workload: {
      pcpus: 112,
      domains: 250,
      vcpusPerDomain: 4,
      piFraction: 1,
      placement: 'spread',
      // 20 s of virtual time (~5 M ops), so JIT warm-up does not dominate the figure.
      durationNs: 20e9,
    },
    policy: { policy: 'series', K: 128 },
    seed: 1,
  }),
  // 4,194,304 vCPUs spread over 4,096 or 112 pCPUs: same working set, lists of ~1e3 / ~4e4.
  'spread-4096': () => spreadCase(4096),
  'spread-112': () => spreadCase(112),
  // Fixed host, list length varied (the flatness figure; seed-worst-case is the 4.2e6 end).
  'lists-1e2': () => listCase(100),
  'lists-1e3': () => listCase(1_000),
  'lists-1e4': () => listCase(10_000),
  'lists-1e5': () => listCase(100_000),
  'lists-1e6': () => listCase(1_000_000),
  // vCPU count varied (the list holds every vCPU): a cache-footprint scaling figure.
  'pcpu0-1e2': () => pcpu0Case(100),
  'pcpu0-1e4': () => pcpu0Case(10_000),
  'pcpu0-1e5': () => pcpu0Case(100_000),
  'pcpu0-1e6': () => pcpu0Case(1_000_000),
  'pcpu0-4.2e6': () => pcpu0Case(4_194_304),
};

/** The limit: a bare binary heap of n (time, id) events, popped and re-pushed `iters` times. */
function holdLoop(n: number, iters: number, meanNs: number): number {
  const keys = new Float64Array(n);
  const vals = new Uint32Array(n);
  const r = new Rng(1);
  let size = 0;
  for (let i = 0; i < n; i++) {
    const k = Math.round(r.float() * meanNs);
    let j = size++;
    while (j > 0) {
      const p = (j - 1) >> 1;
      if (keys[p] <= k) break;
      keys[j] = keys[p];
      vals[j] = vals[p];
      j = p;
    }
    keys[j] = k;
    vals[j] = i;
  }
  const c0 = cpuMs();
  let sink = 0;
  for (let it = 0; it < iters; it++) {
    const k = Math.round(keys[0] + r.exp(meanNs));
    const v = vals[0];
    sink += v;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= size) break;
      let ck = keys[c];
      if (c + 1 < size && keys[c + 1] < ck) {
        c++;
        ck = keys[c];
      }
      if (k <= ck) break;
      keys[i] = ck;
      vals[i] = vals[c];
      i = c;
    }
    keys[i] = k;
    vals[i] = v;
  }
  const ms = cpuMs() - c0;
  if (sink < 0) console.log(sink);
  return iters / (ms / 1000);
}

function childMain(name: string): void {
  const params = SimParamsSchema.parse(CASES[name]());
  const t0 = performance.now();
  const c0 = cpuMs();
  const r = simulate(params);
  const ms = cpuMs() - c0;
  const wallMs = performance.now() - t0;
  const rssMB = process.resourceUsage().maxRSS / 1024;
  const s = r.summary;
  const pending = s.vcpus;
  const limit = holdLoop(pending, Math.min(4e6, Math.max(1e6, s.operations)), 4e6);
  console.log(
    JSON.stringify({
      ops: s.operations,
      ms,
      wallMs,
      rssMB,
      vcpus: s.vcpus,
      maxList: s.maxListLength,
      limit,
    }),
  );
}

function child(name: string): Record<string, number> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', SELF, '--case', name], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`bench case ${name} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>;
}

export async function run(): Promise<void> {
  const only = process.argv.slice(2).filter((a) => a in CASES);
  const names = only.length ? only : Object.keys(CASES);
  console.log(
    'engine bench: whole simulate() runs (generator + model + recorder), one process per case',
  );
  console.log(
    `${'case'.padEnd(16)} ${'vCPUs'.padStart(9)} ${'max list'.padStart(9)} ${'ops'.padStart(10)} ${'cpu s'.padStart(6)} ${'wall s'.padStart(6)} ${'M ops/s'.padStart(8)} ${'limit M/s'.padStart(9)} ${'ratio'.padStart(6)} ${'peak RSS MB'.padStart(11)}`,
  );
  const lists: number[] = [];
  const counts: number[] = [];
  const sameN: number[] = [];
  for (const name of names) {
    const c = child(name);
    const rate = c.ops / (c.ms / 1000);
    if (name.startsWith('lists-') || name === 'seed-worst-case') lists.push(rate);
    if (name.startsWith('pcpu0-')) counts.push(rate);
    if (name.startsWith('spread-') || name === 'seed-worst-case') sameN.push(rate);
    console.log(
      `${name.padEnd(16)} ${String(c.vcpus).padStart(9)} ${String(c.maxList).padStart(9)} ${String(c.ops).padStart(10)} ${(c.ms / 1000).toFixed(2).padStart(6)} ${(c.wallMs / 1000).toFixed(2).padStart(6)} ${(rate / 1e6).toFixed(2).padStart(8)} ${(c.limit / 1e6).toFixed(2).padStart(9)} ${(rate / c.limit).toFixed(2).padStart(6)} ${c.rssMB.toFixed(0).padStart(11)}`,
    );
  }
  const spread = (label: string, rates: number[]) => {
    if (rates.length < 2) return;
    const lo = Math.min(...rates);
    const hi = Math.max(...rates);
    console.log(
      `${label}: min ${(lo / 1e6).toFixed(2)} M, max ${(hi / 1e6).toFixed(2)} M, spread ${(((hi - lo) / hi) * 100).toFixed(0)}% of max`,
    );
  };
  spread(
    'FLAT ACROSS LIST LENGTHS 1e2..4.2e6 (target spread <= 20%): ops/s at a fixed host, 4,194,304 vCPUs on 112 pCPUs, only the pCPU-0 list length varying (lists-1e2..lists-1e6, seed-worst-case)',
    lists,
  );
  spread(
    'ops/s at 4,194,304 vCPUs, max lists ~1e3 / ~4e4 / 4.2e6 by pCPU count (spread-4096, spread-112, seed-worst-case)',
    sameN,
  );
  spread(
    'informational, vCPU COUNT scaling 1e2..4.2e6 (pcpu0-*: the list holds every vCPU, so the working set grows with the list; not the list-length figure)',
    counts,
  );
  console.log(
    'M ops/s and limit are per CPU second; targets: >= 1.5 M ops/s on seed-worst-case, ratio >= 0.4, peak RSS < 1.5 GB',
  );
}

const caseIdx = process.argv.indexOf('--case');
if (caseIdx >= 0) childMain(process.argv[caseIdx + 1]);
else if (process.argv[1] === SELF) await run();
