/**
 * First pass over a dump: follows the chain of CPU_CHANGE headers only (12 bytes per window), to
 * learn which pCPUs wrote windows and where the chain stops being valid. Like xenalyze's
 * init_pcpus, but through the whole file, so a pCPU that first shows up late is merged from its
 * first record on.
 */
import type { ByteSource } from './source';
import { CPU_CHANGE_BYTES, CPU_CHANGE_HEADER, MAX_CPUS } from './format';
import type { TraceError } from './types';

export interface WindowScan {
  windows: number;
  /** pCPU ids that wrote at least one window, ascending. */
  cpus: number[];
  perCpuWindows: Float64Array;
  /** Offset of each pCPU's first CPU_CHANGE record (-1: none). */
  firstWindow: Float64Array;
  /** Windows end here at the latest: the file's end, or where the chain broke. */
  validEnd: number;
  errors: TraceError[];
}

/** Windows from this size on are followed by a header-sized read. */
const BIG_WINDOW = 4096;

const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

export function scanWindows(src: ByteSource, fileBytes: number): WindowScan {
  const buf = Buffer.allocUnsafe(Math.min(1 << 16, fileBytes + 16));
  let bufStart = 0;
  let bufLen = 0;
  const perCpuWindows = new Float64Array(MAX_CPUS);
  const firstWindow = new Float64Array(MAX_CPUS).fill(-1);
  const errors: TraceError[] = [];
  let windows = 0;
  let pos = 0;
  let validEnd = fileBytes;
  let lastSize = 0;

  while (pos < fileBytes) {
    if (pos + CPU_CHANGE_BYTES > fileBytes) {
      errors.push({
        offset: pos,
        kind: 'truncated-header',
        message: `truncated CPU_CHANGE record at offset ${pos}: 12 bytes expected, ${fileBytes - pos} left in the file`,
      });
      validEnd = pos;
      break;
    }
    if (pos < bufStart || pos + CPU_CHANGE_BYTES > bufStart + bufLen) {
      bufStart = pos;
      // After a big window, the next header alone: a buffer per header there would copy the
      // whole dump once more (64 KiB windows, 64 KiB reads). Small windows share a read.
      const want = lastSize >= BIG_WINDOW ? CPU_CHANGE_BYTES : buf.length;
      bufLen = src.read(buf, 0, Math.min(want, fileBytes - pos), pos);
    }
    const o = pos - bufStart;
    const hdr = buf.readUInt32LE(o);
    const cpu = buf.readUInt32LE(o + 4);
    const size = buf.readUInt32LE(o + 8);
    lastSize = size;
    if (hdr !== CPU_CHANGE_HEADER) {
      errors.push({
        offset: pos,
        kind: pos === 0 ? 'not-xentrace' : 'bad-window-header',
        message:
          pos === 0
            ? `not a xentrace dump: offset 0 holds ${hex(hdr)}, a CPU_CHANGE header ${hex(CPU_CHANGE_HEADER)} was expected`
            : `bad window header at offset ${pos}: expected CPU_CHANGE ${hex(CPU_CHANGE_HEADER)}, found ${hex(hdr)}`,
      });
      validEnd = pos;
      break;
    }
    if (cpu >= MAX_CPUS) {
      errors.push({
        offset: pos + 4,
        kind: 'bad-cpu',
        message: `bad CPU_CHANGE at offset ${pos}: pCPU ${cpu} is out of range (0..${MAX_CPUS - 1})`,
      });
      validEnd = pos;
      break;
    }
    if (size % 4 !== 0) {
      errors.push({
        offset: pos + 8,
        kind: 'unaligned-window',
        message: `bad CPU_CHANGE at offset ${pos}: window size ${size} is not a whole number of 32-bit words`,
      });
      validEnd = pos;
      break;
    }
    windows++;
    perCpuWindows[cpu]++;
    if (firstWindow[cpu] < 0) firstWindow[cpu] = pos;
    const end = pos + CPU_CHANGE_BYTES + size;
    if (end > fileBytes) {
      errors.push({
        offset: pos,
        kind: 'short-window',
        message: `short last window: pCPU ${cpu}'s window at offset ${pos} declares ${size} bytes, the file ends after ${fileBytes - pos - CPU_CHANGE_BYTES} (truncated dump)`,
      });
      break;
    }
    pos = end;
  }

  const cpus: number[] = [];
  for (let c = 0; c < MAX_CPUS; c++) if (firstWindow[c] >= 0) cpus.push(c);
  return { windows, cpus, perCpuWindows, firstWindow, validEnd, errors };
}
