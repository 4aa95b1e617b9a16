/**
 * The engine as an op sink: ops go in one by one as they are rebuilt, never held together. The
 * policy comes already validated (no zod here: the import path loads none).
 */
import { createRun, EngineInputError, type EngineRun } from '../engine/index';
import { OpCode, type OpSink } from '../../shared/ops';
import type { PolicyConfig } from '../../shared/params';
import { DEFAULT_COSTS, type CostModel, type RunResult } from '../../shared/results';

/** `PolicyConfigSchema.parse({ policy: 'upstream' })`, written out (a test checks they agree). */
export const UPSTREAM: PolicyConfig = {
  policy: 'upstream',
  K: 128,
  compare: '<',
  hCounts: 'all',
  pool: null,
  fixup: 'random',
};

export class OpReplayer implements OpSink {
  private readonly run: EngineRun;
  /** Ops applied so far. */
  count = 0;

  /** `endNs`: the time of the last op (the first bucket width of the series depends on it);
   *  `listIndex` false: no residency log (RunHints.listIndex; summary-only runs). */
  constructor(
    endNs: number,
    policy: PolicyConfig = UPSTREAM,
    costs: CostModel = DEFAULT_COSTS,
    buckets = 4096,
    listIndex = true,
  ) {
    this.run = createRun({ policy, costs, buckets, seed: 1 }, { expectedEndNs: endNs, listIndex });
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
