/**
 * How a trace import's lists may be described, from its saved params (`provenance`, written by
 * the importer; docs/trace-import.md, "Honest labels"): observed from the lab's PI list records,
 * or reconstructed under stated assumptions.
 */
export interface ListsLabel {
  label: string;
  observed: boolean;
  /** The dump names no HVM domain. */
  noHvm: boolean;
}

export function listsLabel(params: unknown): ListsLabel | null {
  const p = params && typeof params === 'object' ? (params as Record<string, unknown>) : null;
  const prov = (p?.provenance ?? null) as {
    label?: unknown;
    source?: unknown;
    noHvm?: unknown;
  } | null;
  if (!prov || typeof prov.label !== 'string') return null;
  return { label: prov.label, observed: prov.source === 'pi-records', noHvm: prov.noHvm === true };
}
