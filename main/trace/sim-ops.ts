/**
 * The op stream of a stochastic simulation, for export as a dump. The engine exposes no such
 * producer, but its generator writes to any OpSink, so the same deterministic run (same params and
 * seed give the same ops) is captured here.
 */
import { WorkloadGenerator } from '../engine/workload';
import { SimParamsSchema, type SimParamsInput } from '../../shared/params';
import { OpColumnsBuilder, type OpColumns } from './op-columns';

export function simulationOps(params: SimParamsInput): OpColumns {
  const p = SimParamsSchema.parse(params);
  const b = new OpColumnsBuilder();
  new WorkloadGenerator(p.workload, p.seed).run(b);
  return b.finish();
}
