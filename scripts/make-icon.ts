// Renders assets/icon.svg to the PNG sizes electron-builder and the window use (run after editing
// the SVG: `node --import tsx scripts/make-icon.ts`). Uses Debian's chromium via playwright-core.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const root = join(import.meta.dirname, '..');
const svg = readFileSync(join(root, 'assets', 'icon.svg'), 'utf8');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
mkdirSync(join(root, 'assets', 'icons'), { recursive: true });
for (const size of [1024, 512, 256, 128, 64, 48, 32, 16]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(
    `<html><body style="margin:0;background:transparent">${svg.replace('width="1024" height="1024"', `width="${size}" height="${size}"`)}</body></html>`,
  );
  const out =
    size === 1024
      ? join(root, 'assets', 'icon.png')
      : join(root, 'assets', 'icons', `${size}x${size}.png`);
  await page.screenshot({
    path: out,
    omitBackground: true,
    clip: { x: 0, y: 0, width: size, height: size },
  });
  await page.close();
}
await browser.close();
console.log('icons written to assets/');
