/** Worker-side stochastic simulation: one run of the engine's generator, with progress. */
import { formatNs, simulate } from '../../engine/index';
import { SimParamsSchema, type SimParams } from '../../../shared/params';
import type { RunResult } from '../../../shared/results';
import { progressReporter, type TaskFn } from '../task';

export const simulateTask: TaskFn<{ params: SimParams }, RunResult> = (input, ctx) => {
  const report = progressReporter(ctx);
  // Re-validated here: the input crossed a thread boundary and fills in defaults if needed.
  const params = SimParamsSchema.parse(input.params);
  const end = formatNs(params.workload.durationNs);
  report(0, `starting, ${end} virtual`, true);
  const result = simulate(params, {
    progress: (fraction, detail) => report(fraction, `${detail} of ${end}`),
    cancelled: () => ctx.cancelled(),
  });
  report(1, `${result.summary.operations} ops, ${end} virtual`, true);
  return result;
};
