/**
 * CLI start-up (issue 10): `xen-pi-lab --version` beside `node -e 0`, the bare Node start-up, in
 * the same run (interleaved, medians). Goal: within 50 ms of it. The CLI is built first
 * (scripts/build-cli.mjs), as `npm install` leaves it. Run alone: node --import tsx bench/cli.ts
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, delta, ms, ROOT, timeInterleaved } from './process-time';

export function buildCli(): void {
  const b = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')], {
    encoding: 'utf8',
  });
  if (b.status !== 0) throw new Error(`build-cli failed: ${b.stderr}`);
}

export async function run(): Promise<void> {
  buildCli();
  const rounds = Number(process.env.CLI_BENCH_ROUNDS ?? 15) || 15;
  const t = timeInterleaved(
    {
      node: [process.execPath, ['-e', '0']],
      version: [process.execPath, [BIN, '--version']],
      help: [process.execPath, [BIN, '--help']],
    },
    rounds,
  );
  console.log(
    `CLI start-up, medians of ${rounds} interleaved runs; load ${loadavg()[0].toFixed(1)}`,
  );
  const line = (label: string, k: 'version' | 'help') =>
    console.log(
      `  ${label}: ${ms(t[k].wallMs)} wall (${ms(t[k].cpuMs)} CPU) vs node -e 0 ${ms(t.node.wallMs)} wall (${ms(t.node.cpuMs)} CPU): ` +
        `${delta(t[k].wallMs - t.node.wallMs)} wall, ${delta(t[k].cpuMs - t.node.cpuMs)} CPU (goal: within +50 ms)`,
    );
  line('xen-pi-lab --version', 'version');
  line('xen-pi-lab --help   ', 'help');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run();
