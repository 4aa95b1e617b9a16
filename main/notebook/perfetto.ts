/**
 * Perfetto / chrome://tracing export of one run: a Chrome JSON trace-event file
 * (https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU) that
 * ui.perfetto.dev opens as is.
 *
 * - Counter tracks (`ph: "C"`): Perfetto names a counter track `<event name> <arg key>`, so the
 *   events are named to read `pCPU 7 PI list` (one per pCPU), `H (HVM vCPUs)`, `online pCPUs`
 *   and `bound (floor(H/online)+K)`. Values come from the run's bucketed series (never one event
 *   per operation, so a 4M-vCPU run stays a few MB): a pCPU's list length is the maximum within
 *   each bucket (`len.max`), written at the bucket's start, so the counter's maximum is the run's
 *   own per-pCPU maximum; H, online pCPUs and the bound are the values at each bucket's end,
 *   written at its end. A value equal to the previous one is not repeated.
 * - Imported dumps (trace experiments with reconstructed operations) also get the scheduler's
 *   runstate per vCPU as complete slices (`ph: "X"`): `running` (on pCPU c), `blocked`,
 *   `runnable`, from the dump's runstate changes as reconstructed into `run` / `block` / `wake`.
 * - `otherData` states the resolution (bucket width) and what each track holds.
 * Timestamps are microseconds (the format's unit) of the run's virtual time.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PerfettoExport } from '../../shared/notebook';
import { OpCode } from '../../shared/ops';
import type { AnyTypedArray } from '../../shared/results';
import type { Store } from '../store/store';
import { OP_SERIES_NAMES, opsFromSeries, type OpColumns } from '../trace/op-columns';
import { runExportTarget } from './export-target';
import { ExportError } from './report';

/** The trace's processes (one group of tracks each). */
export const PERFETTO_PID = { host: 1, lists: 2, vcpus: 3 } as const;

/** Above this many reconstructed operations the runstate slices are left out (metadata says). */
export const MAX_RUNSTATE_OPS = 4_000_000;

export const TRACK = {
  pcpu: (p: number) => ({ name: `pCPU ${p}`, key: 'PI list' }),
  h: { name: 'H', key: '(HVM vCPUs)' },
  online: { name: 'online', key: 'pCPUs' },
  bound: { name: 'bound', key: '(floor(H/online)+K)' },
} as const;

/** Buffers JSON events and writes them to a file descriptor in chunks (no giant string). */
class EventSink {
  private buf: string[] = [];
  private size = 0;
  events = 0;
  bytes = 0;

  constructor(private readonly fd: number) {}

  raw(s: string): void {
    this.buf.push(s);
    this.size += s.length;
    if (this.size > 1 << 20) this.flush();
  }

  event(e: object): void {
    this.raw(`${this.events++ ? ',\n' : '\n'}${JSON.stringify(e)}`);
  }

  flush(): void {
    if (!this.buf.length) return;
    const chunk = Buffer.from(this.buf.join(''));
    writeSync(this.fd, chunk);
    this.bytes += chunk.length;
    this.buf = [];
    this.size = 0;
  }
}

const us = (ns: number) => ns / 1000;

/** Writes run `id` as a Chrome JSON trace (default exports/run-ID-TITLE-STAMP.perfetto.json). */
export function writePerfetto(
  store: Store,
  id: number,
  opts: { path?: string } = {},
): PerfettoExport {
  const { e, target: path } = runExportTarget(store, id, opts.path, '.perfetto.json');
  const { summary, timeline } = store.loadSummary(id);
  const s = store.loadSeries(id, ['len.max', 'h', 'online', 'bound', ...OP_SERIES_NAMES]);
  const P = summary.pcpus;
  const B = timeline.buckets;
  const lenMax = s['len.max'];
  if (!lenMax || lenMax.length !== P * B)
    throw new ExportError(`experiment ${id} has no per-pCPU length series (len.max) to export`);
  const ops = e.kind === 'trace' ? opsFromSeries(s) : null;
  const runstate = ops !== null && ops.code.length <= MAX_RUNSTATE_OPS;

  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'wx');
  const out = new EventSink(fd);
  let slices = 0;
  try {
    out.raw(
      `{"displayTimeUnit":"ns","otherData":${JSON.stringify({
        producer: 'Xen PI Lab',
        experimentId: id,
        title: e.title,
        kind: e.kind,
        engineVersion: e.engineVersion,
        policy: summary.policy,
        K: summary.K,
        pcpus: P,
        resolution: `bucketed: ${B} buckets of ${timeline.bucketNs} ns from t0 = ${timeline.t0Ns} ns`,
        bucketNs: timeline.bucketNs,
        buckets: B,
        t0Ns: timeline.t0Ns,
        tracks: {
          'pCPU N PI list': 'longest list length of pCPU N within each bucket, at the bucket start',
          'H (HVM vCPUs)': 'HVM vCPUs at the end of each bucket, at the bucket end',
          'online pCPUs': 'online pCPUs at the end of each bucket, at the bucket end',
          'bound (floor(H/online)+K)': 'the bound in force at the end of each bucket',
          runstate: runstate
            ? 'per vCPU: running (args.pcpu), blocked, runnable slices from the dump'
            : ops
              ? `left out: ${ops.code.length} operations (over ${MAX_RUNSTATE_OPS})`
              : 'none (a simulation: no scheduler runstate records)',
        },
      })},"traceEvents":[`,
    );
    const meta = (name: string, pid: number, args: object, tid = 0) =>
      out.event({ name, ph: 'M', pid, tid, args });
    meta('process_name', PERFETTO_PID.host, { name: `Host (${summary.policy}, K = ${summary.K})` });
    meta('process_sort_index', PERFETTO_PID.host, { sort_index: 0 });
    meta('process_name', PERFETTO_PID.lists, { name: 'PI blocking lists' });
    meta('process_sort_index', PERFETTO_PID.lists, { sort_index: 1 });

    const counter = (
      pid: number,
      track: { name: string; key: string },
      values: AnyTypedArray | undefined,
      at: (b: number) => number,
      offset = 0,
    ) => {
      if (!values) return;
      let prev = NaN;
      for (let b = 0; b < B; b++) {
        const v = values[offset + b];
        if (!Number.isFinite(v) || v === prev) continue;
        prev = v;
        out.event({
          name: track.name,
          ph: 'C',
          ts: us(at(b)),
          pid,
          tid: 0,
          args: { [track.key]: v },
        });
      }
    };
    const start = (b: number) => timeline.t0Ns + b * timeline.bucketNs;
    const end = (b: number) => timeline.t0Ns + (b + 1) * timeline.bucketNs;
    counter(PERFETTO_PID.host, TRACK.h, s.h, end);
    counter(PERFETTO_PID.host, TRACK.online, s.online, end);
    counter(PERFETTO_PID.host, TRACK.bound, s.bound, end);
    for (let p = 0; p < P; p++) counter(PERFETTO_PID.lists, TRACK.pcpu(p), lenMax, start, p * B);
    if (runstate && ops) slices = runstateSlices(ops, summary.endNs, out, meta);
    out.raw('\n]}\n');
    out.flush();
  } finally {
    closeSync(fd);
  }
  return { path, bytes: out.bytes, events: out.events, runstateSlices: slices };
}

const STATE_NAME = ['running', 'blocked', 'runnable'] as const;

/** Per-vCPU runstate slices from the reconstructed operations (run / block / wake). */
function runstateSlices(
  ops: OpColumns,
  endNs: number,
  out: EventSink,
  meta: (name: string, pid: number, args: object, tid?: number) => void,
): number {
  const pid = PERFETTO_PID.vcpus;
  meta('process_name', pid, { name: 'vCPU runstate (from the dump)' });
  meta('process_sort_index', pid, { sort_index: 2 });
  // Per vCPU: its thread id, the open slice's state (-1 none), start and pCPU.
  const open = new Map<string, { tid: number; state: number; t: number; pcpu: number }>();
  let slices = 0;
  const close = (v: { tid: number; state: number; t: number; pcpu: number }, t: number) => {
    if (v.state < 0) return;
    const args = v.state === 0 ? { pcpu: v.pcpu } : {};
    out.event({
      name: STATE_NAME[v.state],
      cat: 'runstate',
      ph: 'X',
      ts: us(v.t),
      dur: us(Math.max(0, t - v.t)),
      pid,
      tid: v.tid,
      args,
    });
    slices++;
    v.state = -1;
  };
  for (let i = 0; i < ops.code.length; i++) {
    const code = ops.code[i];
    if (
      code !== OpCode.run &&
      code !== OpCode.block &&
      code !== OpCode.wake &&
      code !== OpCode.vcpu_destroy
    )
      continue;
    const dom = ops.a[i];
    const vcpu = ops.b[i];
    const key = `${dom}.${vcpu}`;
    let v = open.get(key);
    if (!v) {
      v = { tid: open.size + 1, state: -1, t: 0, pcpu: 0 };
      open.set(key, v);
      meta('thread_name', pid, { name: `d${dom}v${vcpu}` }, v.tid);
    }
    const t = ops.t[i];
    close(v, t);
    if (code === OpCode.vcpu_destroy) continue;
    v.state = code === OpCode.run ? 0 : code === OpCode.block ? 1 : 2;
    v.t = t;
    v.pcpu = ops.c[i];
  }
  for (const v of open.values()) close(v, endNs);
  return slices;
}
