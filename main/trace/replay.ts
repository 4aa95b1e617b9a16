/** An op stream through the engine's host model under a policy. */
import { OpCode } from '../../shared/ops';
import { PolicyConfigSchema, type PolicyConfig, type PolicyConfigInput } from '../../shared/params';
import { DEFAULT_COSTS, type CostModel, type RunResult } from '../../shared/results';
import type { OpColumns } from './op-columns';
import { OpReplayer, UPSTREAM } from './op-replayer';

export { UPSTREAM } from './op-replayer';

export function replayOps(
  ops: OpColumns,
  policy: PolicyConfig | PolicyConfigInput = UPSTREAM,
  costs: CostModel = DEFAULT_COSTS,
  buckets = 4096,
): RunResult {
  const n = ops.code.length;
  const run = new OpReplayer(
    n > 0 ? ops.t[n - 1] : 0,
    PolicyConfigSchema.parse(policy),
    costs,
    buckets,
  );
  for (let i = 0; i < n; i++) run.op(ops.code[i] as OpCode, ops.t[i], ops.a[i], ops.b[i], ops.c[i]);
  return run.finish();
}
