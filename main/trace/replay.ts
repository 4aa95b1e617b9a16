/** An op stream through the engine's host model under a policy. */
import { createRun, EngineInputError } from '../engine/index';
import { OpCode } from '../../shared/ops';
import { PolicyConfigSchema, type PolicyConfig, type PolicyConfigInput } from '../../shared/params';
import { DEFAULT_COSTS, type CostModel, type RunResult } from '../../shared/results';
import type { OpColumns } from './op-columns';

export const UPSTREAM: PolicyConfig = PolicyConfigSchema.parse({ policy: 'upstream' });

export function replayOps(
  ops: OpColumns,
  policy: PolicyConfig | PolicyConfigInput = UPSTREAM,
  costs: CostModel = DEFAULT_COSTS,
  buckets = 4096,
): RunResult {
  const n = ops.code.length;
  const run = createRun(
    { policy: PolicyConfigSchema.parse(policy), costs, buckets, seed: 1 },
    { expectedEndNs: n > 0 ? ops.t[n - 1] : 0 },
  );
  if (n === 0) run.op(OpCode.pcpus, 0, 1, 0, 0);
  for (let i = 0; i < n; i++) {
    try {
      run.op(ops.code[i] as OpCode, ops.t[i], ops.a[i], ops.b[i], ops.c[i]);
    } catch (e) {
      if (e instanceof EngineInputError)
        throw new Error(`op ${i} rejected by the engine: ${e.message}`, { cause: e });
      throw e;
    }
  }
  return run.finish();
}
