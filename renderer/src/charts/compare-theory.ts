/** Compare's theory row (issue 14 item 3): each run's predicted longest list beside the measured. */
import { delta, type MetricDef, type MetricRow } from './compare';

export const PREDICTED_METRIC: MetricDef = {
  key: 'maxListPredicted',
  label: 'max list: predicted',
  unit: 'entries',
  // Not a summary field: the prediction needs the lists at the longest list's instant.
  get: () => null,
};

/** The row of predictions, one per run (null: no known result for its policy, or not loaded). */
export function predictedRow(predicted: (number | null)[]): MetricRow {
  return {
    def: PREDICTED_METRIC,
    values: predicted,
    deltas: predicted.map((v) => delta(predicted[0], v)),
  };
}
