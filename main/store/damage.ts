/**
 * Reading a notebook must survive one damaged row (a crafted or corrupted file merged in before
 * rows were checked, or a disk error): JSON columns are parsed here, and a row that does not parse
 * is reported as damaged (listed, deletable) instead of failing the whole listing.
 */
import type { RunSummary } from '../../shared/results';

export interface Parsed<T> {
  value: T | null;
  /** Why the column could not be read; null when it could. */
  damage: string | null;
}

/** JSON.parse of a TEXT column; null text is a null value (no damage). */
export function parseColumn<T>(text: string | null, column: string): Parsed<T> {
  if (text === null) return { value: null, damage: null };
  try {
    return { value: JSON.parse(text) as T, damage: null };
  } catch (e) {
    return { value: null, damage: `${column} is not valid JSON (${(e as Error).message})` };
  }
}

/** A stored summary, or damage when it is not the object the app writes. */
export function parseSummary(text: string | null): Parsed<RunSummary> {
  const p = parseColumn<RunSummary>(text, 'results.summary_json');
  if (p.value !== null && (typeof p.value !== 'object' || Array.isArray(p.value)))
    return { value: null, damage: 'results.summary_json is not an object' };
  return p;
}
