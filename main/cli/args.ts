/** Removes `--name VALUE` (or `--name=VALUE`) from args and returns VALUE. */
export function takeOption(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === name) {
      const v = args[i + 1];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value`);
      args.splice(i, 2);
      return v;
    }
    if (a.startsWith(name + '=')) {
      args.splice(i, 1);
      return a.slice(name.length + 1);
    }
  }
  return undefined;
}

/** Whether `--name VALUE` or `--name=VALUE` is among args (nothing removed). */
export function hasOption(args: readonly string[], name: string): boolean {
  return args.some((a) => a === name || a.startsWith(name + '='));
}

/** Removes a boolean `--flag` from args and returns whether it was there. */
export function takeFlag(args: string[], name: string): boolean {
  const i = args.indexOf(name);
  if (i < 0) return false;
  args.splice(i, 1);
  return true;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Removes `--name X` and checks X is a number (an integer with `int`) in [min, max], refused in
 * the CLI's wording: `--K needs an integer in [0, 16777216], got "-5"`.
 */
function rangeOption(
  args: string[],
  name: string,
  min: number,
  max: number,
  int: boolean,
): number | undefined {
  const s = takeOption(args, name);
  if (s === undefined) return undefined;
  const v = s.trim() === '' ? NaN : Number(s);
  if (!(int ? Number.isInteger(v) : Number.isFinite(v)) || v < min || v > max)
    throw new UsageError(
      `${name} needs ${int ? 'an integer' : 'a number'} in [${min}, ${max}], got ${JSON.stringify(s)}`,
    );
  return v;
}

export const intOption = (args: string[], name: string, min: number, max: number) =>
  rangeOption(args, name, min, max, true);
export const numberOption = (args: string[], name: string, min: number, max: number) =>
  rangeOption(args, name, min, max, false);

/** Removes `--name X` and checks X is one of `values`. */
export function choiceOption<T extends string>(
  args: string[],
  name: string,
  values: readonly T[],
): T | undefined {
  const s = takeOption(args, name);
  if (s === undefined) return undefined;
  if (!(values as readonly string[]).includes(s))
    throw new UsageError(`${name} is one of ${values.join(', ')}, got ${JSON.stringify(s)}`);
  return s as T;
}
