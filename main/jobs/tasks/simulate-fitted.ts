/** Worker-side run of a workload fitted from a dump (main/engine/fitted-workload.ts), with progress. */
import { formatNs } from '../../engine/index';
import { simulateFitted } from '../../engine/fitted-workload';
import { TraceSimParamsSchema, type TraceSimParams } from '../../../shared/fitted-workload';
import type { RunResult } from '../../../shared/results';
import { progressReporter, type TaskFn } from '../task';

export const simulateFittedTask: TaskFn<{ params: TraceSimParams }, RunResult> = (input, ctx) => {
  const report = progressReporter(ctx);
  // Re-validated here: the input crossed a thread boundary.
  const params = TraceSimParamsSchema.parse(input.params);
  const end = formatNs(params.traceWorkload.durationNs);
  report(0, `starting, ${end} virtual`, true);
  const result = simulateFitted(params, {
    progress: (fraction, detail) => report(fraction, `${detail} of ${end}`),
    cancelled: () => ctx.cancelled(),
  });
  report(1, `${result.summary.operations} ops, ${end} virtual`, true);
  return result;
};
