/** An op stream through the engine's host model under a policy. */
import { createRun, EngineInputError, type EngineRun } from '../engine/index';
import { OpCode, type OpSink } from '../../shared/ops';
import { PolicyConfigSchema, type PolicyConfig, type PolicyConfigInput } from '../../shared/params';
import { DEFAULT_COSTS, type CostModel, type RunResult } from '../../shared/results';
import type { OpColumns } from './op-columns';

export const UPSTREAM: PolicyConfig = PolicyConfigSchema.parse({ policy: 'upstream' });

/** The engine as an op sink: ops go in one by one as they are rebuilt, never held together. */
export class OpReplayer implements OpSink {
  private readonly run: EngineRun;
  /** Ops applied so far. */
  count = 0;

  /** `endNs`: the time of the last op (the first bucket width of the series depends on it). */
  constructor(
    endNs: number,
    policy: PolicyConfig | PolicyConfigInput = UPSTREAM,
    costs: CostModel = DEFAULT_COSTS,
    buckets = 4096,
  ) {
    this.run = createRun(
      { policy: PolicyConfigSchema.parse(policy), costs, buckets, seed: 1 },
      { expectedEndNs: endNs },
    );
  }

  op(code: OpCode, t: number, a: number, b: number, c: number): void {
    try {
      this.run.op(code, t, a, b, c);
    } catch (e) {
      if (e instanceof EngineInputError)
        throw new Error(`op ${this.count} rejected by the engine: ${e.message}`, { cause: e });
      throw e;
    }
    this.count++;
  }

  finish(): RunResult {
    if (this.count === 0) this.run.op(OpCode.pcpus, 0, 1, 0, 0);
    return this.run.finish();
  }
}

export function replayOps(
  ops: OpColumns,
  policy: PolicyConfig | PolicyConfigInput = UPSTREAM,
  costs: CostModel = DEFAULT_COSTS,
  buckets = 4096,
): RunResult {
  const n = ops.code.length;
  const run = new OpReplayer(n > 0 ? ops.t[n - 1] : 0, policy, costs, buckets);
  for (let i = 0; i < n; i++) run.op(ops.code[i] as OpCode, ops.t[i], ops.a[i], ops.b[i], ops.c[i]);
  return run.finish();
}
