/**
 * Branded time types (after Perfetto's `time.ts`): a raw TSC is a bigint because real TSC values
 * exceed 2^53; it becomes a number only once converted to nanoseconds since the trace start.
 */
export type Tsc = bigint & { readonly __brand: 'Tsc' };
/** Nanoseconds on the lab's virtual or trace time axis (0 = run or trace start). */
export type Ns = number;

export const asTsc = (v: bigint): Tsc => v as Tsc;

/** ns = (tsc - first) * 1e9 / cpuHz, exact in bigint until the final division. */
export function tscToNs(tsc: Tsc, first: Tsc, cpuHz: number): Ns {
  const delta = tsc - first;
  const hz = BigInt(Math.round(cpuHz));
  const whole = (delta * 1_000_000_000n) / hz;
  const rem = (delta * 1_000_000_000n) % hz;
  return Number(whole) + Number(rem) / Number(hz);
}

export function tscToString(t: Tsc): string {
  return t.toString();
}
