#!/usr/bin/env node
// `npm test`: lint + format check + type check, builds (the CLI always), then every test file under test/ in one
// `node --test` run (its summary lines are what CI reads). `--unit` skips lint and e2e tests;
// `--e2e` runs only test/e2e.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const e2eOnly = args.includes('--e2e');
const only = args.filter((a) => !a.startsWith('--'));

function run(cmd, cmdArgs) {
  console.log(`\n> ${cmd} ${cmdArgs.join(' ')}`);
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', shell: false });
  if (r.status !== 0) {
    console.error(`\n${cmd} ${cmdArgs.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (name === 'fixtures' || name === 'node_modules') continue;
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const bin = (n) => join('node_modules', '.bin', n);
let files = only.length ? only : findTests('test');
if (unitOnly) files = files.filter((f) => !f.startsWith(join('test', 'e2e')));
if (e2eOnly) files = files.filter((f) => f.startsWith(join('test', 'e2e')));

if (!unitOnly && !e2eOnly && only.length === 0) {
  run(bin('eslint'), ['.']);
  run(bin('prettier'), ['--check', '.']);
  run(bin('vue-tsc'), ['--build']);
}
if (files.some((f) => f.startsWith(join('test', 'e2e')))) run(bin('electron-vite'), ['build']);
// Tests that spawn bin/xen-pi-lab.mjs (sweep --shard under GNU parallel and Slurm, the bin test)
// run the built CLI in out/cli: rebuilt here so that they never run a stale build of main/.
run(process.execPath, [join('scripts', 'build-cli.mjs')]);

run(process.execPath, [
  '--import',
  'tsx',
  '--test',
  '--test-concurrency=1',
  '--test-reporter=spec',
  ...files,
]);
