/**
 * Trace import benchmark (issues 4 and 10); figures printed, never asserted.
 *  1. Whole process: `xen-pi-lab import FILE --json` (the built CLI) on every shipped real dump,
 *     less `node -e 0`, beside `xenalyze --svm-mode --summary FILE` (goal: no slower).
 *  2. In process (a fresh child per size, for its peak RSS): MB/s of `importTraceSummary` at 4 MB,
 *     1 GB and 2.5 GB (goals: >= 300 MB/s from 4 MB up, >= 500 MB/s at 1 GB, RSS < 300 MB), with
 *     the stage breakdown: read (disk), decode, reconstruct, engine, recorder.
 * One dump is generated (the writer streaming a stochastic simulation, HVM exits between
 * scheduler records like an `-e all` capture), imported, then cut in place at a window boundary
 * to the smaller sizes. Run alone: `node --import tsx bench/trace.ts [GB]` (default 2.5).
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  openSync,
  readdirSync,
  readSync,
  rmSync,
  statSync,
  truncateSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findXenalyze } from '../test/xenalyze';
import { EngineCancelled } from '../main/engine/index';
import { WorkloadGenerator } from '../main/engine/workload';
import { importTraceSummary, type ImportTimings } from '../main/trace/import';
import { readTrace } from '../main/trace/reader';
import { TraceWriterSink } from '../main/trace/writer';
import { WorkloadSchema } from '../shared/params';
import { buildCli } from './cli';
import { BIN, delta, ms, ROOT, timeInterleaved } from './process-time';

const SELF = fileURLToPath(import.meta.url);
const TRACES = join(ROOT, 'test', 'fixtures', 'traces');

function child(args: string[]): Record<string, number> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', SELF, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`child ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

/** GNU time's CPU figures have a 10 ms resolution. */
const cpu = (x: number): string => (x < 10 ? '< 10 ms' : ms(x));

/** Whole-process import vs xenalyze on the real dumps (the built CLI, as installed). */
function wholeProcess(): void {
  buildCli();
  const xa = findXenalyze();
  const rounds = Number(process.env.TRACE_BENCH_ROUNDS ?? 7) || 7;
  const dumps = readdirSync(TRACES)
    .filter((f) => f.endsWith('.bin'))
    .sort((a, b) => statSync(join(TRACES, b)).size - statSync(join(TRACES, a)).size);
  console.log(
    `whole-process import (built CLI, --json) less node -e 0, vs ${xa ? 'xenalyze --svm-mode --summary' : 'xenalyze (not installed: scripts/install-xenalyze.sh)'}; medians of ${rounds} interleaved runs`,
  );
  let ours = 0;
  let theirs = 0;
  let oursCpu = 0;
  let theirsCpu = 0;
  for (const d of dumps) {
    const file = join(TRACES, d);
    const t = timeInterleaved(
      {
        node: [process.execPath, ['-e', '0']],
        cli: [process.execPath, [BIN, 'import', file, '--json']],
        ...(xa ? { xa: [xa, ['--svm-mode', '--summary', file]] as [string, string[]] } : {}),
      },
      rounds,
    );
    const net = t.cli.wallMs - t.node.wallMs;
    const netCpu = t.cli.cpuMs - t.node.cpuMs;
    ours += net;
    oursCpu += netCpu;
    if (t.xa) {
      theirs += t.xa.wallMs;
      theirsCpu += t.xa.cpuMs;
    }
    console.log(
      `  ${d.padEnd(26)} ${(statSync(file).size / 1e6).toFixed(2).padStart(5)} MB: import ${ms(t.cli.wallMs)} - node ${ms(t.node.wallMs)} = ${ms(net)} wall (${ms(netCpu)} CPU)` +
        (t.xa ? `; xenalyze ${ms(t.xa.wallMs)} wall (${cpu(t.xa.cpuMs)} CPU)` : ''),
    );
  }
  if (xa)
    console.log(
      `  GOAL whole-process import vs xenalyze, all ${dumps.length} real dumps: ${ms(ours)} vs ${ms(theirs)} wall (${(ours / theirs).toFixed(2)}x), ` +
        `${ms(oursCpu)} vs ${cpu(theirsCpu)} CPU; goal <= 1x`,
    );
}

/** The offset of the end of the last whole window at or below `target` bytes. */
function windowBoundary(file: string, target: number): number {
  const fd = openSync(file, 'r');
  const head = Buffer.alloc(12);
  let pos = 0;
  try {
    for (;;) {
      if (readSync(fd, head, 0, 12, pos) < 12) return pos;
      const next = pos + 12 + head.readUInt32LE(8);
      if (next > target) return pos;
      pos = next;
    }
  } finally {
    closeSync(fd);
  }
}

function inProcess(file: string, label: string, goal: string, breakdown: boolean): void {
  const bytes = statSync(file).size;
  const mb = bytes / 1e6;
  const imp = child(['--import', file]) as unknown as ImportTimings & {
    ms: number;
    cpuMs: number;
    records: number;
    ops: number;
    maxRssKB: number;
  };
  console.log(
    `  GOAL ${label}: ${mb.toFixed(mb < 100 ? 1 : 0)} MB in ${ms(imp.ms)}: ${(mb / (imp.ms / 1000)).toFixed(0)} MB/s ` +
      `(${(mb / (imp.cpuMs / 1000)).toFixed(0)} MB per CPU-second, both threads), ` +
      `${(imp.records / (imp.ms / 1000) / 1e6).toFixed(1)} M records/s, peak RSS ${(imp.maxRssKB / 1024).toFixed(0)} MB ` +
      `(${imp.ops} ops, ${(imp.spilledBytes / 1e6).toFixed(0)} MB spilled); goal ${goal}`,
  );
  if (!breakdown) return;
  const dec = child(['--decode', file]);
  const read = imp.ioMs;
  const decode = Math.max(0, dec.ms - dec.ioMs);
  const reconstruct = Math.max(0, imp.readMs - dec.ms);
  console.log(
    `    stages: read ${ms(read)}, decode ${ms(decode)}, reconstruct ${ms(reconstruct)}, engine ${ms(imp.engineMs)}, recorder ${ms(imp.recorderMs)}, ` +
      `hash wait ${ms(imp.hashWaitMs)}; other ${delta(imp.ms - imp.readMs - imp.engineMs - imp.recorderMs - imp.hashWaitMs)}`,
  );
}

export async function run(): Promise<void> {
  const gb = Number(process.env.TRACE_BENCH_GB ?? 2.5) || 2.5;
  console.log(`trace import bench; load ${loadavg()[0].toFixed(1)}`);
  wholeProcess();
  const file = join(tmpdir(), `xen-pi-lab-bench-${process.pid}.trace`);
  try {
    const gen = child(['--gen', file, String(Math.round(gb * 1e9)), '16']);
    const full = statSync(file).size;
    console.log(
      `in process (importTraceSummary, fresh child each; generated dump, ${gen.records} records, writer ${(full / 1e6 / (gen.ms / 1000)).toFixed(0)} MB/s):`,
    );
    inProcess(file, `${gb} GB`, '>= 300 MB/s, RSS < 300 MB', false);
    truncateSync(file, windowBoundary(file, 1.05e9));
    inProcess(file, '1 GB', '>= 500 MB/s, RSS < 300 MB', true);
    truncateSync(file, windowBoundary(file, 4.2e6));
    inProcess(file, '4 MB', '>= 300 MB/s', true);
  } finally {
    rmSync(file, { force: true });
  }
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
    const timings = {} as ImportTimings;
    const cpu0 = process.cpuUsage();
    const t = performance.now();
    // As `xen-pi-lab import` runs it (no --save: no list index).
    const imp = await importTraceSummary(argv[1], { timings, listIndex: false });
    const ms = performance.now() - t;
    const used = process.cpuUsage(cpu0);
    console.log(
      JSON.stringify({
        ms,
        cpuMs: (used.user + used.system) / 1000,
        ...timings,
        records: imp.stats.records,
        ops: imp.opCount,
        maxRssKB: process.resourceUsage().maxRSS,
      }),
    );
    return true;
  }
  if (argv[0] === '--decode') {
    // Read and decode only: every record counted, the merged ones handed to a sink that drops them.
    const t = performance.now();
    const r = readTrace(argv[1], { record() {} }, { hash: false });
    console.log(JSON.stringify({ ms: performance.now() - t, ioMs: r.ioMs }));
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
