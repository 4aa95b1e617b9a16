import type { GridAxis } from '../../../shared/notebook';
import type { SimParams } from '../../../shared/params';
import { expandFittedGrid, expandSimGrid } from '../../notebook/grid';
import { isFittedBase } from '../../notebook/sweeps';
import type { TraceSimParams } from '../../../shared/fitted-workload';
import { planPoints, sweepKey, type ShardSpec, type SweepPlan } from '../../notebook/shards';

/**
 * `sweep --plan`: the grid's points and their shards, validated like a real sweep (one invalid
 * point refuses the plan too) but nothing run or saved, so a job script can size its array.
 */
export function sweepPlan(
  base: SimParams | TraceSimParams,
  grid: GridAxis[],
  shard: ShardSpec | undefined,
): SweepPlan {
  const points = (isFittedBase(base) ? expandFittedGrid(base, grid) : expandSimGrid(base, grid))
    .length;
  const shards = shard?.count ?? 1;
  return {
    sweepKey: sweepKey(base, grid),
    points,
    shards,
    shard: shard?.index ?? null,
    plan: planPoints(grid, shards, shard?.index),
  };
}

export function formatPlan(p: SweepPlan): string {
  const head = `sweep ${p.sweepKey.slice(0, 16)}: ${p.points} points in ${p.shards} shard(s)${
    p.shard !== null ? `, shard ${p.shard} runs ${p.plan.length}` : ''
  }\n`;
  return (
    head +
    p.plan
      .map(
        (pt) => `${String(pt.index).padStart(5)}  shard ${pt.shard}  ${JSON.stringify(pt.values)}`,
      )
      .join('\n') +
    '\n'
  );
}
