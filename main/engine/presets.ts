/** Named starting points for runs, each with the one-line reason it exists (shown in the UI). */
import type { PresetInfo } from '../../shared/model';
import type { SimParamsInput } from '../../shared/params';

const skylake = (vcpus: number): SimParamsInput => ({
  workload: {
    pcpus: 112,
    domains: vcpus / 4,
    vcpusPerDomain: 4,
    piFraction: 0.5,
    runNs: 2e6,
    blockNs: 10e6,
    otherWakeProb: 0.3,
    wakeToRunNs: 50e3,
    placement: 'spread',
    durationNs: 1e9,
  },
  policy: { policy: 'series', K: 128 },
  seed: 1,
});

const PRESETS: { name: string; rationale: string; params: SimParamsInput }[] = [
  {
    name: 'seed-worst-case',
    rationale:
      "The series' motivating case: 32,768 domains x 128 vCPUs = 4,194,304 PI vCPUs all running on and blocking from pCPU 0 of a 112-pCPU host, so under upstream one list holds every vCPU.",
    params: {
      workload: {
        pcpus: 112,
        domains: 32768,
        vcpusPerDomain: 128,
        piFraction: 1,
        runNs: 1e6,
        blockNs: 10e6,
        otherWakeProb: 0.3,
        wakeToRunNs: 50e3,
        dist: 'uniform',
        placement: 'pcpu0',
        durationNs: 8e6,
      },
      policy: { policy: 'upstream', K: 128 },
      seed: 1,
    },
  },
  {
    name: 'skylake-112-2to1',
    rationale:
      'A 112-pCPU Skylake server (where the 22 us / 128-entry walk was measured) at 2:1 overcommit, half the domains with assigned devices: a realistic load where lists stay short.',
    params: { preset: 'skylake-112-2to1', ...skylake(224) },
  },
  {
    name: 'skylake-112-8to1',
    rationale:
      'The same 112-pCPU host at 8:1 overcommit (896 vCPUs): busier lists, to see whether the bound ever bites in normal operation.',
    params: { preset: 'skylake-112-8to1', ...skylake(896) },
  },
  {
    name: 'domain-churn',
    rationale:
      'Domains created and destroyed at 200 per second on a 16-pCPU host: H and with it the bound move while lists are populated (K = 4 so the bound matters).',
    params: {
      preset: 'domain-churn',
      workload: {
        pcpus: 16,
        domains: 64,
        vcpusPerDomain: 4,
        piFraction: 1,
        runNs: 2e6,
        blockNs: 10e6,
        placement: 'random',
        domainChurnPerSec: 200,
        durationNs: 2e9,
      },
      policy: { policy: 'series', K: 4 },
      seed: 1,
    },
  },
  {
    name: 'hotplug',
    rationale:
      'pCPUs of a loaded 16-pCPU host go offline and come back: the fix-up re-homes their lists (random as upstream, or cycle) and the bound rises while fewer pCPUs are online.',
    params: {
      preset: 'hotplug',
      workload: {
        pcpus: 16,
        domains: 64,
        vcpusPerDomain: 4,
        piFraction: 1,
        runNs: 2e6,
        blockNs: 10e6,
        placement: 'spread',
        hotplug: [
          { tNs: 200e6, pcpu: 3, online: false },
          { tNs: 300e6, pcpu: 7, online: false },
          { tNs: 400e6, pcpu: 11, online: false },
          { tNs: 500e6, pcpu: 15, online: false },
          { tNs: 700e6, pcpu: 3, online: true },
          { tNs: 800e6, pcpu: 7, online: true },
          { tNs: 900e6, pcpu: 11, online: true },
          { tNs: 1000e6, pcpu: 15, online: true },
        ],
        durationNs: 1.2e9,
      },
      policy: { policy: 'series', K: 4, fixup: 'random' },
      seed: 1,
    },
  },
];

for (const p of PRESETS) p.params.preset = p.name;

export function presets(): PresetInfo[] {
  return PRESETS.map((p) => ({ ...p, params: structuredClone(p.params) }));
}

export function presetParams(name: string): SimParamsInput | undefined {
  const p = PRESETS.find((x) => x.name === name);
  return p ? structuredClone(p.params) : undefined;
}
