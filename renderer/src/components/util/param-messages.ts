/**
 * Setup-form validation messages written the way the CLI writes them
 * (`K needs an integer in [0, 16777216], got "-5"`), from the field's own schema rather than
 * zod's raw wording ("Too small: expected number to be >=0"): what the field needs, in the unit
 * the user types, and what it got (issue 12 item 12).
 */
import { SimParamsSchema } from '../../../../shared/params';
import type { FieldMeta } from './params-form';

export interface FieldRange {
  min: number | null;
  max: number | null;
  /** The minimum itself is refused (durations must be > 0). */
  minExclusive: boolean;
  int: boolean;
}

interface SchemaLike {
  def?: { type?: string; innerType?: SchemaLike; checks?: { _zod?: { def?: unknown } }[] };
  shape?: Record<string, SchemaLike>;
  minValue?: number | null;
  maxValue?: number | null;
  isInt?: boolean;
}

function unwrap(s: SchemaLike | undefined): SchemaLike | undefined {
  let cur = s;
  while (cur?.def?.innerType) cur = cur.def.innerType;
  return cur;
}

function schemaAt(path: string): SchemaLike | undefined {
  let cur: SchemaLike | undefined = SimParamsSchema as unknown as SchemaLike;
  for (const k of path.split('.')) cur = unwrap(unwrap(cur)?.shape?.[k]);
  return cur;
}

/** The numeric range of a field, read from SimParamsSchema (null when it is not a number). */
export function fieldRange(path: string): FieldRange | null {
  const s = schemaAt(path);
  if (!s || s.def?.type !== 'number') return null;
  // zod 4 keeps `>` and `>=` apart only in its checks; minValue is the bound either way.
  const exclusive = (s.def.checks ?? []).some((c) => {
    const d = c._zod?.def as { check?: string; inclusive?: boolean } | undefined;
    return d?.check === 'greater_than' && d.inclusive === false;
  });
  const finite = (v: number | null | undefined) =>
    v === null || v === undefined || !Number.isFinite(v) || Math.abs(v) >= Number.MAX_SAFE_INTEGER
      ? null
      : v;
  return {
    min: finite(s.minValue),
    max: finite(s.maxValue),
    minExclusive: exclusive,
    int: !!s.isInt,
  };
}

/** Integers as the CLI prints them (16777216: no separators, so they can be pasted); 1e9 -> "1e+9". */
function num(v: number, int: boolean): string {
  if (int && Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1e9 ? v.toExponential() : String(+v.toPrecision(12));
}

/** What the field accepts, in the unit of its input ("an integer in [1, 4096]"). */
export function fieldNeeds(f: FieldMeta): string {
  if (f.kind === 'enum') return `one of ${(f.options ?? []).join(', ')}`;
  if (f.kind === 'intlist') return 'pCPU ids such as "0-15, 32" (or nothing for every online pCPU)';
  const r = fieldRange(f.path);
  const what = r?.int ? 'an integer' : 'a number';
  if (!r) return what;
  const scale = f.kind === 'duration' ? (f.scale ?? 1) : 1;
  const unit = f.kind === 'duration' ? ` ${f.unit}` : '';
  const min = r.min === null ? null : num(r.min / scale, r.int);
  const max = r.max === null ? null : num(r.max / scale, r.int);
  if (min !== null && r.minExclusive)
    return `${what} > ${min}${unit}${max !== null ? ` and ≤ ${max}${unit}` : ''}`;
  if (min !== null && max !== null) return `${what} in [${min}, ${max}]${unit}`;
  if (min !== null) return `${what} ≥ ${min}${unit}`;
  return what;
}

/** `K needs an integer in [0, 16777216], got "-5"`. */
export function fieldMessage(f: FieldMeta, text: string): string {
  return `${f.label} needs ${fieldNeeds(f)}, got ${JSON.stringify(text)}`;
}
