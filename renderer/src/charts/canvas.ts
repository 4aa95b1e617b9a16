/** RGBA pixels (charts/heatmap.ts) as a canvas, for an ECharts `graphic` image. */
export function toCanvas(px: Uint8ClampedArray, w: number, h: number): HTMLCanvasElement {
  const cv = document.createElement('canvas');
  cv.width = w;
  cv.height = h;
  const ctx = cv.getContext('2d')!;
  const img = ctx.createImageData(w, h);
  img.data.set(px);
  ctx.putImageData(img, 0, 0);
  return cv;
}
