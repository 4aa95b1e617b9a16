/** A generated dump for the import tests: a stochastic simulation written by the lab's writer. */
import { simulationOps } from '../../../main/trace/sim-ops';
import { writeTraceSync } from '../../../main/trace/writer';

/** 8 pCPUs, 16 HVM domains x 4 PI vCPUs blocking and waking, written at 2.5 GHz with the lab's
 *  PI list records (the writer's default); about 190 k ops per simulated second. */
export function writeSimDump(file: string, durationNs: number, seed: number): void {
  const ops = simulationOps({
    workload: { pcpus: 8, domains: 16, vcpusPerDomain: 4, runNs: 2e5, blockNs: 1e6, durationNs },
    policy: { policy: 'upstream' },
    buckets: 64,
    seed,
  });
  writeTraceSync(file, ops, { cpuHz: 2.5e9 });
}
