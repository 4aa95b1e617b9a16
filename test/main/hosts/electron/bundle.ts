/** Builds the Electron shell's entries for Node, with `electron` replaced by the recording fake. */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export const ROOT = resolve(import.meta.dirname, '../../../..');
export const FAKE = join(import.meta.dirname, 'fake-electron.ts');

/**
 * Bundles an Electron entry with `electron` replaced by the recording fake (dependencies stay
 * external, resolved from the repo), so the real shell code runs under Node.
 */
export async function bundle(entry: string, outName: string): Promise<string> {
  const outDir = join(ROOT, 'node_modules', '.cache', 'xpl-shell-test');
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, outName);
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    packages: 'external',
    plugins: [
      {
        name: 'fake-electron',
        setup(b) {
          // Kept external as a file URL so the bundle and this test share one fake instance.
          b.onResolve({ filter: /^electron$/ }, () => ({
            path: pathToFileURL(FAKE).href,
            external: true,
          }));
        },
      },
    ],
    logLevel: 'silent',
  });
  return outfile;
}
