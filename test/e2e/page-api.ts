/**
 * Page-side helpers shared by the e2e tests: calling the API with the page's token (what the
 * renderer's `invoke` does), running a simulation job to completion, and sampling chart canvases.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { SimParamsInput } from '../../shared/params';

/** Small, but with remote placements, a hotplug fix-up and several lists per pCPU. */
export const SMALL_RUN: SimParamsInput = {
  workload: {
    pcpus: 8,
    domains: 10,
    vcpusPerDomain: 4,
    placement: 'random',
    durationNs: 1e8,
    hotplug: [
      { tNs: 4e7, pcpu: 5, online: false },
      { tNs: 7e7, pcpu: 5, online: true },
    ],
  },
  policy: { policy: 'series', K: 1 },
  buckets: 256,
  seed: 3,
};

/** Left and right margins of the time charts' plot area (px), as the Run view lays them out. */
export const GRID_LEFT = 72;
export const GRID_RIGHT = 80;

/** POST /api/<channel> from the page, with the page's token (what `invoke` does). */
export async function api<T>(p: Page, channel: string, req: unknown): Promise<T> {
  const body = await p.evaluate(
    async ([ch, rq]) => {
      const token = sessionStorage.getItem('xen-pi-lab-token') ?? '';
      const r = await fetch(`/api/${ch}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(rq),
      });
      return r.json();
    },
    [channel, req] as const,
  );
  const b = body as { ok: boolean; value?: T; error?: unknown };
  if (!b.ok) throw new Error(`${channel}: ${JSON.stringify(b.error)}`);
  return b.value as T;
}

/** Starts a job (`sim.start`, `trace.import`, `trace.replay`) and waits for its experiment id. */
export async function runJob(p: Page, channel: string, req: unknown): Promise<number> {
  const { jobId } = await api<{ jobId: string }>(p, channel, req);
  for (;;) {
    const jobs = await api<
      { jobId: string; state: string; experimentId: number | null; error: string | null }[]
    >(p, 'jobs.list', {});
    const j = jobs.find((x) => x.jobId === jobId);
    assert.ok(j, `job ${jobId} listed`);
    if (j.state === 'done') {
      assert.ok(j.experimentId, 'the job saved an experiment');
      return j.experimentId;
    }
    assert.equal(j.state, 'running', `job ${jobId} failed: ${j.error}`);
    await p.waitForTimeout(100);
  }
}

/** Starts a simulation with `sim.start` and waits for its job; returns the experiment id. */
export function runSimulation(p: Page, params: SimParamsInput, title: string): Promise<number> {
  return runJob(p, 'sim.start', { title, params });
}

/** Pixels of a chart's canvas: painted (alpha > 0), distinct colours, and close to `rgb`. */
export async function canvasStats(p: Page, testid: string, rgbCss?: string) {
  return p.evaluate(
    ([id, css]) => {
      const cv = document.querySelector(`[data-testid="${id}"] canvas`) as HTMLCanvasElement;
      const ctx = cv.getContext('2d')!;
      const d = ctx.getImageData(0, 0, cv.width, cv.height).data;
      let target: number[] | null = null;
      if (css) {
        const v = getComputedStyle(document.documentElement).getPropertyValue(css).trim() || css;
        const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(v);
        if (m) target = [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
      }
      let painted = 0;
      let match = 0;
      const colours = new Set<number>();
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] === 0) continue;
        painted++;
        colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
        if (
          target &&
          d[i + 3] > 200 &&
          Math.abs(d[i] - target[0]) < 30 &&
          Math.abs(d[i + 1] - target[1]) < 30 &&
          Math.abs(d[i + 2] - target[2]) < 30
        )
          match++;
      }
      return { painted, match, colours: colours.size, w: cv.width, h: cv.height };
    },
    [testid, rgbCss ?? ''] as const,
  );
}

/**
 * Pixels close to the accent colour (annotation markLines) in a 7 px wide column of a time
 * chart's canvas at time `tNs`, over the plot area (TIME_GRID: left 72, right 80, top 28,
 * bottom 28), given the chart's visible range.
 */
export async function accentPixelsAt(
  p: Page,
  testid: string,
  tNs: number,
  t0Ns: number,
  t1Ns: number,
): Promise<number> {
  return p.evaluate(
    ([id, t, a, b, left, right]) => {
      const cv = document.querySelector(`[data-testid="${id}"] canvas`) as HTMLCanvasElement;
      const ctx = cv.getContext('2d')!;
      const scale = cv.width / cv.clientWidth;
      const x = Math.round((left + ((t - a) / (b - a)) * (cv.clientWidth - left - right)) * scale);
      const css = getComputedStyle(document.documentElement).getPropertyValue('--accent').trim();
      const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(css)!;
      const rgb = [1, 2, 3].map((i) => parseInt(m[i], 16));
      const y0 = Math.round(28 * scale);
      const h = cv.height - y0 - Math.round(28 * scale);
      const d = ctx.getImageData(x - 3, y0, 7, h).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4)
        if (
          d[i + 3] > 120 &&
          Math.abs(d[i] - rgb[0]) < 40 &&
          Math.abs(d[i + 1] - rgb[1]) < 40 &&
          Math.abs(d[i + 2] - rgb[2]) < 40
        )
          n++;
      return n;
    },
    [testid, tNs, t0Ns, t1Ns, GRID_LEFT, GRID_RIGHT] as const,
  );
}

/**
 * Re-reads `probe` until `ok` holds: a wait on the condition itself, bounded only by a generous
 * deadline (never by a count of tries, which a loaded machine exhausts early). Returns the last
 * reading, so the caller's assertion can print it when the deadline passed.
 */
export async function pollUntil<T>(
  probe: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let v = await probe();
  while (!ok(v) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    v = await probe();
  }
  return v;
}
