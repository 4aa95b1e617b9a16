/**
 * Axis tops that are round numbers. An axis whose max is a data value ("4.53M") prints that
 * value as its last label, crowding the round tick below it ("4M"); a round top never does.
 */

/** The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 (x 10^k) that is >= v (v <= 0: 1). */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const e = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10])
    if (m * e >= v * (1 - 1e-12)) return m * e;
  return 10 * e;
}

/** The power of ten at or above v (log axes), at least 10. */
export function decadeCeil(v: number): number {
  return Math.max(10, 10 ** Math.ceil(Math.log10(Math.max(1, v))));
}
