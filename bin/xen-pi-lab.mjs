#!/usr/bin/env node
// The CLI runs built JavaScript from out/cli (scripts/build-cli.mjs; `npm install` and
// `npm run build` make it), so it starts fast and needs no devDependency. In a checkout where it
// was never built, the first run builds it (esbuild comes with the devDependencies).
// XEN_PI_LAB_FROM_SOURCE=1 runs the TypeScript sources through tsx instead (development).
import { fileURLToPath } from 'node:url';

const entry = new URL('../out/cli/index.js', import.meta.url);

async function load() {
  if (process.env.XEN_PI_LAB_FROM_SOURCE === '1') {
    (await import('tsx/esm/api')).register();
    return import('../main/cli/index.ts');
  }
  try {
    return await import(entry.href);
  } catch (e) {
    // Only a missing build is handled here; a broken one is reported as it is.
    if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes(fileURLToPath(entry)))
      throw e;
  }
  let build;
  try {
    build = await import('../scripts/build-cli.mjs');
    process.stderr.write('xen-pi-lab: building the CLI into out/cli (first run)…\n');
    await build.buildCli();
  } catch (e) {
    process.stderr.write(
      `xen-pi-lab: out/cli is missing and could not be built (${e.message}).\n` +
        'Run `npm run build:cli` in a checkout with devDependencies installed.\n',
    );
    process.exit(1);
  }
  return import(entry.href);
}

const { main } = await load();
process.exitCode = await main(process.argv.slice(2));
