/**
 * Perfetto-style time navigation, pure: zoom around an anchor, pan by a fraction, clamp to the run,
 * keep a minimum span. Ranges are [t0Ns, t1Ns] on the run's time axis.
 */
export interface TimeRange {
  t0Ns: number;
  t1Ns: number;
}

/** Smallest span the views zoom to (ns). */
export const MIN_SPAN_NS = 10;

export function clampRange(r: TimeRange, limits: TimeRange, minSpan = MIN_SPAN_NS): TimeRange {
  const full = limits.t1Ns - limits.t0Ns;
  let span = Math.max(Math.min(r.t1Ns - r.t0Ns, full), Math.min(minSpan, full));
  if (!Number.isFinite(span) || span <= 0) span = full;
  let t0 = r.t0Ns;
  if (!Number.isFinite(t0)) t0 = limits.t0Ns;
  t0 = Math.max(limits.t0Ns, Math.min(t0, limits.t1Ns - span));
  return { t0Ns: t0, t1Ns: t0 + span };
}

/** factor < 1 zooms in (W), > 1 zooms out (S); the anchor stays where it is on screen. */
export function zoomRange(
  r: TimeRange,
  factor: number,
  anchorNs: number,
  limits: TimeRange,
): TimeRange {
  const a = Math.max(r.t0Ns, Math.min(anchorNs, r.t1Ns));
  const t0 = a - (a - r.t0Ns) * factor;
  const t1 = a + (r.t1Ns - a) * factor;
  return clampRange({ t0Ns: t0, t1Ns: t1 }, limits);
}

/** Pan by a fraction of the visible span (A: negative, D: positive). */
export function panRange(r: TimeRange, fraction: number, limits: TimeRange): TimeRange {
  const d = (r.t1Ns - r.t0Ns) * fraction;
  return clampRange({ t0Ns: r.t0Ns + d, t1Ns: r.t1Ns + d }, limits);
}

/** A range of `span` centred on t (clamped). */
export function centreOn(t: number, span: number, limits: TimeRange): TimeRange {
  return clampRange({ t0Ns: t - span / 2, t1Ns: t + span / 2 }, limits);
}

export function sameRange(a: TimeRange | null, b: TimeRange | null): boolean {
  if (!a || !b) return a === b;
  return a.t0Ns === b.t0Ns && a.t1Ns === b.t1Ns;
}

/** Keyboard: W/S zoom, A/D pan (Perfetto). Returns null for other keys. */
export function keyNav(
  key: string,
  r: TimeRange,
  anchorNs: number,
  limits: TimeRange,
): TimeRange | null {
  switch (key.toLowerCase()) {
    case 'w':
      return zoomRange(r, 0.8, anchorNs, limits);
    case 's':
      return zoomRange(r, 1.25, anchorNs, limits);
    case 'a':
      return panRange(r, -0.2, limits);
    case 'd':
      return panRange(r, 0.2, limits);
    default:
      return null;
  }
}
