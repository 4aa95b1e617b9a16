/** The run the export tests write: the domain-churn preset, simulated and saved. */
import { SimParamsSchema } from '../../../shared/params';
import { ENGINE_VERSION, presetParams, simulate } from '../../../main/engine';
import type { Store } from '../../../main/store/store';

export function saveDomainChurn(store: Store): number {
  const params = SimParamsSchema.parse(presetParams('domain-churn'));
  return store.saveRun({
    kind: 'simulation',
    title: 'domain churn',
    params,
    seed: params.seed,
    result: simulate(params),
    engineVersion: ENGINE_VERSION,
  });
}
