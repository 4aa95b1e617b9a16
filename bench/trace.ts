/**
 * Trace import benchmark (issue 4): writes a >= 1 GB dump with the writer (a stochastic
 * simulation streamed to disk), then imports it in a fresh process and reports MB/s, records/s
 * and peak RSS beside `cat FILE > /dev/null` on the same file, and beside `xenalyze --summary`
 * if Debian's xenalyze is installed. Run alone: `node --import tsx bench/trace.ts [GB]`.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findXenalyze } from '../test/xenalyze';
import { EngineCancelled } from '../main/engine/index';
import { WorkloadGenerator } from '../main/engine/workload';
import { importTrace } from '../main/trace/index';
import { TraceWriterSink } from '../main/trace/writer';
import { WorkloadSchema } from '../shared/params';

const SELF = fileURLToPath(import.meta.url);

function child(args: string[]): Record<string, number> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', SELF, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`child ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

function timeShell(cmd: string): number {
  const t = process.hrtime.bigint();
  const r = spawnSync('sh', ['-c', cmd], { stdio: 'ignore' });
  if (r.status !== 0) return NaN;
  return Number(process.hrtime.bigint() - t) / 1e6;
}

interface Case {
  label: string;
  gb: number;
  exitsPerRun: number;
}

async function benchCase(c: Case): Promise<void> {
  const file = join(tmpdir(), `xen-pi-lab-bench-${process.pid}.trace`);
  try {
    const gen = child(['--gen', file, String(Math.round(c.gb * 1e9)), String(c.exitsPerRun)]);
    const bytes = statSync(file).size;
    const mb = bytes / 1e6;
    console.log(
      `${c.label}: ${mb.toFixed(0)} MB, ${gen.records} records (writer: ${(mb / (gen.ms / 1000)).toFixed(0)} MB/s)`,
    );
    timeShell(`cat '${file}' > /dev/null`); // both read from a warm page cache
    const catMs = timeShell(`cat '${file}' > /dev/null`);
    const imp = child(['--import', file]);
    const impMBs = mb / (imp.ms / 1000);
    const catMBs = mb / (catMs / 1000);
    console.log(
      `  cat FILE > /dev/null : ${(catMs / 1000).toFixed(2)} s, ${catMBs.toFixed(0)} MB/s`,
    );
    console.log(
      `  import               : ${(imp.ms / 1000).toFixed(2)} s wall (${(imp.cpuMs / 1000).toFixed(2)} s CPU), ${impMBs.toFixed(0)} MB/s, ` +
        `${(imp.records / (imp.ms / 1000) / 1e6).toFixed(1)} M records/s, peak RSS ${(imp.maxRssKB / 1024).toFixed(0)} MB, ${imp.ops} ops rebuilt`,
    );
    console.log(`  import / cat throughput: ${(impMBs / catMBs).toFixed(2)}`);
    const xa = findXenalyze();
    if (xa) {
      const xaMs = timeShell(`'${xa}' --summary '${file}' > /dev/null 2>&1`);
      if (Number.isFinite(xaMs))
        console.log(
          `  xenalyze --summary   : ${(xaMs / 1000).toFixed(2)} s; import time / xenalyze time = ${(imp.ms / xaMs).toFixed(2)}`,
        );
      else console.log('  xenalyze --summary   : exited with an error on this file');
    } else
      console.log(
        '  xenalyze: not installed (apt-get download xen-utils-common; dpkg -x *.deb /tmp/xu)',
      );
  } finally {
    rmSync(file, { force: true });
  }
}

export async function run(): Promise<void> {
  const gb = Number(process.env.TRACE_BENCH_GB ?? 1.05) || 1.05;
  console.log(
    `trace import bench (targets: >= 300 MB/s, >= 0.3 of cat, RSS < 500 MB, faster than xenalyze); load ${loadavg()[0].toFixed(1)}`,
  );
  // Like an `-e all` dump of busy HVM guests: 16 exit/entry pairs per scheduling, ~10 % scheduler records.
  await benchCase({ label: `${gb} GB dump, HVM exits + scheduler`, gb, exitsPerRun: 16 });
  // Worst case: nothing but scheduler records, so nearly every record becomes an op.
  await benchCase({
    label: `${(gb / 4).toFixed(2)} GB dump, scheduler records only`,
    gb: gb / 4,
    exitsPerRun: 0,
  });
}

async function childMain(argv: string[]): Promise<boolean> {
  if (argv[0] === '--gen') {
    const t = performance.now();
    const target = Number(argv[2]);
    const fd = openSync(argv[1], 'w');
    const sink = new TraceWriterSink(fd, { cpuHz: 2.4e9, guestExitsPerRun: Number(argv[3] ?? 0) });
    try {
      new WorkloadGenerator(
        WorkloadSchema.parse({
          pcpus: 16,
          domains: 64,
          vcpusPerDomain: 4,
          runNs: 2e5,
          blockNs: 1e6,
          durationNs: 1e15,
        }),
        1,
      ).run(sink, { cancelled: () => sink.bytesWritten() >= target });
    } catch (e) {
      if (!(e instanceof EngineCancelled)) throw e;
    }
    const s = sink.close();
    closeSync(fd);
    console.log(JSON.stringify({ ms: performance.now() - t, records: s.records, bytes: s.bytes }));
    return true;
  }
  if (argv[0] === '--import') {
    const t = performance.now();
    const cpu = process.cpuUsage();
    const imp = await importTrace(argv[1]);
    const ms = performance.now() - t;
    const used = process.cpuUsage(cpu);
    console.log(
      JSON.stringify({
        ms,
        cpuMs: (used.user + used.system) / 1000,
        records: imp.stats.records,
        ops: imp.ops.code.length,
        maxRssKB: process.resourceUsage().maxRSS,
      }),
    );
    return true;
  }
  return false;
}

if (process.argv[1] === SELF) {
  const args = process.argv.slice(2);
  if (!(await childMain(args))) {
    if (args[0]) process.env.TRACE_BENCH_GB = args[0];
    await run();
  }
}
