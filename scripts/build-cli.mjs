#!/usr/bin/env node
/**
 * Builds the CLI (`bin/xen-pi-lab.mjs` runs it) into out/cli/ with esbuild: one ES module per
 * entry (the CLI and the job worker, which the job runner finds beside it) plus shared chunks, so
 * each subcommand loads only its own code. Packages in package.json "dependencies" (zod,
 * better-sqlite3, ws) stay imports resolved from node_modules at run time, so the result needs no
 * devDependency. `npm install` runs this through "prepare"; `npm run build` does too.
 *
 *   node scripts/build-cli.mjs [--outdir DIR] [--if-possible]
 *
 * --if-possible: exit 0 with a note when esbuild is not installed (an install without
 * devDependencies, where out/cli comes from the checkout that built it).
 */
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Builds into `outdir` (default out/cli); returns the entry's path. */
export async function buildCli(outdir = join(root, 'out', 'cli')) {
  const esbuild = await import('esbuild');
  rmSync(outdir, { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: {
      index: 'main/cli/index.ts',
      'job-worker': 'main/jobs/job-worker.ts',
    },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // Chunks sit beside the entries: runner.ts looks for ./job-worker.js next to itself.
    chunkNames: '[name]-[hash]',
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  return join(outdir, 'index.js');
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--outdir');
  const outdir = at >= 0 ? resolve(args[at + 1]) : undefined;
  try {
    await buildCli(outdir);
  } catch (e) {
    if (args.includes('--if-possible') && e?.code === 'ERR_MODULE_NOT_FOUND') {
      console.warn('build-cli: esbuild is not installed (no devDependencies): out/cli kept as is');
    } else throw e;
  }
}
