/**
 * The pCPU x time heatmap as an RGBA image, per-pixel max in both directions: each image column
 * is one binned column from main, each image row the max over the pCPUs that fall on it.
 * Lengths at or under the bound in force use a cold ramp, lengths over it a hot ramp, so cells
 * over the bound stand out whatever the scale; empty lists are transparent.
 */
type Rgb = [number, number, number];

const RAMPS: Record<'light' | 'dark', Record<'cold' | 'hot', Rgb[]>> = {
  light: {
    cold: [
      [222, 235, 247],
      [107, 174, 214],
      [8, 48, 107],
    ],
    hot: [
      [253, 174, 107],
      [230, 85, 13],
      [165, 15, 21],
    ],
  },
  dark: {
    cold: [
      [30, 52, 82],
      [49, 130, 189],
      [158, 202, 225],
    ],
    hot: [
      [166, 54, 3],
      [241, 105, 19],
      [255, 200, 120],
    ],
  },
};

export function rampColor(t: number, hot: boolean, dark: boolean): Rgb {
  const stops = RAMPS[dark ? 'dark' : 'light'][hot ? 'hot' : 'cold'];
  const x = Math.max(0, Math.min(1, t)) * (stops.length - 1);
  const i = Math.min(Math.floor(x), stops.length - 2);
  const f = x - i;
  const a = stops[i];
  const b = stops[i + 1];
  return [
    Math.round(a[0] + (b[0] - a[0]) * f),
    Math.round(a[1] + (b[1] - a[1]) * f),
    Math.round(a[2] + (b[2] - a[2]) * f),
  ];
}

/** Colour-scale position of a length in [0, 1] (log1p scale when `log`). */
export function scalePos(len: number, maxLen: number, log: boolean): number {
  if (maxLen <= 0 || len <= 0) return 0;
  return log ? Math.log1p(len) / Math.log1p(maxLen) : len / maxLen;
}

/** The pCPUs [a, b) drawn on image row y of `height` rows for P pCPUs (top row = pCPU 0). */
export function rowPcpus(y: number, height: number, P: number): [number, number] {
  const a = Math.floor((y * P) / height);
  const b = Math.max(a + 1, Math.floor(((y + 1) * P) / height));
  return [Math.min(a, P - 1), Math.min(b, P)];
}

export interface HeatmapInput {
  /** Per pCPU, per column: max list length. */
  lenMax: number[][];
  /** Per pCPU, per column: insertions over the bound (optional). */
  over?: number[][];
  /** Per column: the bound in force (its minimum over the column). */
  bound: number[];
  width: number;
  height: number;
  /** Top of the colour scale (at least 1). */
  maxLen: number;
  log: boolean;
  dark: boolean;
  /**
   * Minimum width (px) of a mark: a listed stretch narrower than this (a length-1 list for a
   * moment of a sparse trace) is widened to the right over empty pixels, so it is seen, not a
   * 1-pixel sliver. Default 1 (no widening).
   */
  minMarkPx?: number;
  /**
   * Ramp position of the shortest non-empty list (0..1; the scale is lifted, not clipped: the
   * order of lengths is kept). With a log scale up to thousands, a list of 1 otherwise gets the
   * ramp's palest colour, nearly the background. Default 0.
   */
  minLevel?: number;
}

/**
 * Smallest mark (px) and lowest colour-ramp position of a listed cell, as the Run view and the
 * report draw them: a length-1 list of a sparse trace is at least 3 px wide and never the
 * near-background shade.
 */
export const MIN_MARK_PX = 3;
export const MIN_LEVEL = 0.3;

/** A scale position lifted so that the lowest non-empty one sits at `floor`. */
export function lift(pos: number, floor: number): number {
  return pos > 0 ? floor + (1 - floor) * pos : 0;
}

export function heatmapPixels(inp: HeatmapInput): Uint8ClampedArray {
  const { lenMax, over, bound, width, height, maxLen, log, dark } = inp;
  const minMark = Math.max(1, Math.floor(inp.minMarkPx ?? 1));
  const floor = Math.max(0, Math.min(1, inp.minLevel ?? 0));
  const P = lenMax.length;
  const out = new Uint8ClampedArray(width * height * 4);
  if (P === 0 || width === 0 || height === 0) return out;
  const C = lenMax[0].length;
  const colOf = new Int32Array(width);
  for (let x = 0; x < width; x++) colOf[x] = Math.min(C - 1, Math.floor((x * C) / width));
  // Colour lookup: 256 levels per ramp.
  const lut = (hot: boolean) => {
    const t = new Uint8Array(256 * 3);
    for (let i = 0; i < 256; i++) t.set(rampColor(i / 255, hot, dark), i * 3);
    return t;
  };
  const cold = lut(false);
  const hot = lut(true);
  const rowLen = new Float64Array(C);
  const rowOver = new Uint8Array(C);
  // With fewer than 2 px per pCPU, each row also takes the previous row's pCPUs: a single busy
  // pCPU among hundreds stays visible (at least 2 px tall), like the minimum mark size of
  // trace viewers.
  const dilate = height < 2 * P;
  let lastA = -1;
  let lastB = -1;
  for (let y = 0; y < height; y++) {
    const [a0, b] = rowPcpus(y, height, P);
    const a = dilate && y > 0 ? rowPcpus(y - 1, height, P)[0] : a0;
    if (a !== lastA || b !== lastB) {
      rowLen.fill(0);
      rowOver.fill(0);
      for (let p = a; p < b; p++) {
        const lm = lenMax[p];
        const ov = over?.[p];
        for (let c = 0; c < C; c++) {
          const v = lm[c];
          if (v > rowLen[c]) rowLen[c] = v;
          if (v > bound[c] || (ov && ov[c] > 0)) rowOver[c] = 1;
        }
      }
      lastA = a;
      lastB = b;
    }
    let o = y * width * 4;
    // The column painted last and the width of the mark being drawn (minMarkPx).
    let carry = -1;
    let run = 0;
    for (let x = 0; x < width; x++, o += 4) {
      let c = colOf[x];
      if (rowLen[c] > 0) {
        carry = c;
        run++;
      } else if (run > 0 && run < minMark) {
        c = carry;
        run++;
      } else {
        run = 0;
        continue;
      }
      const v = rowLen[c];
      const i = Math.max(1, Math.round(lift(scalePos(v, maxLen, log), floor) * 255)) * 3;
      const t = rowOver[c] ? hot : cold;
      out[o] = t[i];
      out[o + 1] = t[i + 1];
      out[o + 2] = t[i + 2];
      out[o + 3] = 255;
    }
  }
  return out;
}

/** Vertical colour bar (bottom = 0, top = maxLen) with the cold/hot split at the bound. */
export function colorBarPixels(
  width: number,
  height: number,
  maxLen: number,
  boundLen: number,
  log: boolean,
  dark: boolean,
  /** As heatmapPixels' `minLevel`, so the bar shows the colours the map uses. */
  minLevel = 0,
): Uint8ClampedArray {
  const out = new Uint8ClampedArray(width * height * 4);
  const tb = scalePos(boundLen, maxLen, log);
  for (let y = 0; y < height; y++) {
    const t = 1 - y / Math.max(1, height - 1);
    const [r, g, b] = rampColor(lift(t, minLevel), t > tb, dark);
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
      out[o + 3] = 255;
    }
  }
  return out;
}

/** The top `n` pCPUs by their longest list in the view (ties: lower id first). */
export function topPcpus(lenMax: number[][], pcpus: number[], n: number): number[] {
  const peaks = lenMax.map((row, i) => {
    let m = 0;
    for (const v of row) if (v > m) m = v;
    return { p: pcpus[i], m };
  });
  peaks.sort((x, y) => y.m - x.m || x.p - y.p);
  return peaks
    .filter((x) => x.m > 0)
    .slice(0, n)
    .map((x) => x.p);
}

/** A text label beside the colour bar: its top y (px), what it says, and its lines. */
export interface BarLabel {
  y: number;
  text: string;
  kind: 'max' | 'zero' | 'bound';
  lines: number;
}

/** Line height of the 10 px monospace labels, with a pixel of air. */
export const LABEL_H = 12;

/**
 * The colour bar's labels (the scale's top above the bar, 0 at its foot, the bound's value over
 * the word "bound" centred on its tick at `boundY`), none on top of another: the top / 0 labels
 * give way when the bound's block would cover them (the bound then names that end of the scale).
 */
export function colorBarLabels(
  top: number,
  height: number,
  boundY: number,
  maxText: string,
  boundText: string,
): BarLabel[] {
  const bottom = top + height;
  const block = 2 * LABEL_H;
  const boundTop = Math.max(top - LABEL_H, Math.min(bottom + 2 - block, boundY - LABEL_H));
  const out: BarLabel[] = [{ y: boundTop, text: `${boundText}\nbound`, kind: 'bound', lines: 2 }];
  const clear = (y: number) => y + LABEL_H <= boundTop || y >= boundTop + block;
  const maxY = top - LABEL_H - 2;
  const zeroY = bottom - LABEL_H + 2;
  if (clear(maxY)) out.unshift({ y: maxY, text: maxText, kind: 'max', lines: 1 });
  if (clear(zeroY)) out.push({ y: zeroY, text: '0', kind: 'zero', lines: 1 });
  return out;
}
