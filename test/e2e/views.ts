/**
 * Helpers of the e2e tests of issue 12: the four screenshot variants (light / dark x 1600x1000 /
 * 1280x800), and colour pixels of a chart canvas by position (where a colour is drawn, not only
 * whether).
 */
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { artifactPath } from './harness';

export const SHOT_SIZES = [
  { width: 1600, height: 1000 },
  { width: 1280, height: 800 },
] as const;

/**
 * Screenshots `name-{light,dark}-{W}x{H}.png` after `ready` resolves in each variant: of the
 * viewport with `scrollTo` scrolled to its top (what the user sees there), of `target` only, or
 * of the page. Returns the paths; leaves the page light at 1600x1000.
 */
export async function shoot(
  p: Page,
  name: string,
  ready: () => Promise<unknown>,
  opts: { target?: () => Locator; scrollTo?: () => Locator } = {},
): Promise<string[]> {
  const { target, scrollTo } = opts;
  const out: string[] = [];
  for (const scheme of ['light', 'dark'] as const)
    for (const size of SHOT_SIZES) {
      await p.emulateMedia({ colorScheme: scheme });
      await p.setViewportSize(size);
      await p.waitForTimeout(150);
      await ready();
      if (scrollTo)
        await scrollTo().evaluate((el) =>
          el.scrollIntoView({ block: 'start', behavior: 'instant' }),
        );
      const path = artifactPath(`${name}-${scheme}-${size.width}x${size.height}.png`);
      if (target) await target().screenshot({ path });
      else await p.screenshot({ path, fullPage: true });
      out.push(path);
    }
  await p.emulateMedia({ colorScheme: 'light' });
  await p.setViewportSize(SHOT_SIZES[0]);
  return out;
}

/** Parses "#rrggbb". */
export function rgb(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  assert.ok(m, `a #rrggbb colour: ${hex}`);
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}

/** Margins of a chart's plot area (px): only pixels inside count (not the legend's swatches). */
export interface Plot {
  top: number;
  bottom: number;
  left: number;
  right: number;
}
export const TIME_PLOT: Plot = { top: 28, bottom: 28, left: 72, right: 80 };

/**
 * Where a colour is drawn inside a chart's plot area, in CSS px from the canvas' top-left: the
 * count of close pixels and the extent (min / max x and y) they cover; `tol` per channel.
 */
export async function colourExtent(
  p: Page,
  testid: string,
  colour: [number, number, number],
  plot: Plot = TIME_PLOT,
  tol = 24,
) {
  return p.evaluate(
    ([id, c, m, t]) => {
      const cv = document.querySelector(`[data-testid="${id}"] canvas`) as HTMLCanvasElement;
      const ctx = cv.getContext('2d')!;
      const scale = cv.width / cv.clientWidth;
      const d = ctx.getImageData(0, 0, cv.width, cv.height).data;
      let n = 0;
      let x0 = Infinity;
      let x1 = -Infinity;
      let y0 = Infinity;
      let y1 = -Infinity;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] < 160) continue;
        if (Math.abs(d[i] - c[0]) > t || Math.abs(d[i + 1] - c[1]) > t) continue;
        if (Math.abs(d[i + 2] - c[2]) > t) continue;
        const k = i / 4;
        const x = (k % cv.width) / scale;
        const y = Math.floor(k / cv.width) / scale;
        if (y < m.top || y > cv.clientHeight - m.bottom) continue;
        if (x < m.left || x > cv.clientWidth - m.right) continue;
        n++;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
      return { n, x0, x1, y0, y1, w: cv.clientWidth, h: cv.clientHeight };
    },
    [testid, colour, plot, tol] as const,
  );
}
