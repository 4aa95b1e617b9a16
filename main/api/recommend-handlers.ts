/**
 * `recommend.start` (issue 14 item 2 in the app): the base resolved to SimParams, the grid with
 * the CLI's defaults, the targets parsed (the schema has already refused bad ones), then one
 * background job (main/notebook/recommend-jobs.ts) that runs or reuses the sweep and saves the
 * answer. Bad input is refused here, before anything is saved.
 */
import { parseTarget } from '../../shared/recommend';
import { recommendGridOf } from '../../shared/recommend-request';
import type { RecommendManager } from '../notebook/recommend-jobs';
import type { Store } from '../store/store';
import type { Handlers } from './dispatch';
import { resolveRecommendBase } from './recommend-base';

export function recommendHandlers(
  store: Store,
  recommends: RecommendManager,
): Pick<Handlers, 'recommend.start'> {
  return {
    'recommend.start': (req) => {
      const base = resolveRecommendBase(store, req.base, req.durationNs);
      const spec = { base, ...recommendGridOf(req), title: req.title };
      const { jobId } = recommends.start(spec, req.targets.map(parseTarget));
      return { jobId };
    },
  };
}
