/** Worker-side replay of a stored op stream (a trace's reconstruction) under another policy. */
import { replayOps, type OpColumns } from '../../trace/index';
import type { PolicyConfig } from '../../../shared/params';
import type { CostModel, RunResult } from '../../../shared/results';
import { progressReporter, type TaskFn } from '../task';

export interface ReplayInput {
  ops: OpColumns;
  policy: PolicyConfig;
  costs?: CostModel;
  buckets?: number;
}

export const replayTask: TaskFn<ReplayInput, RunResult> = (input, ctx) => {
  const report = progressReporter(ctx);
  report(0, `${input.ops.code.length} ops`, true);
  const result = replayOps(input.ops, input.policy, input.costs, input.buckets);
  report(1, `${input.ops.code.length} ops replayed`, true);
  return result;
};
