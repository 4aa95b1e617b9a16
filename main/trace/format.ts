/**
 * The xentrace binary layout (docs/trace-import.md, ../shared/docs/xentrace-format.md): a file is a
 * chain of per-CPU windows, each a CPU_CHANGE record followed by that CPU's records. Constants only.
 */

/** Header word of the CPU_CHANGE record xentrace writes before every window (2 extra words, no TSC). */
export const CPU_CHANGE_HEADER = 0x2001f003;
export const CPU_CHANGE_BYTES = 12;

export const ID_MASK = 0x0fffffff;
export const EXTRA_SHIFT = 28;
export const CYCLE_FLAG = 0x80000000;
/** Largest record: header + TSC + 7 words. */
export const MAX_RECORD_BYTES = 40;

/** Highest pCPU id accepted in a CPU_CHANGE (Xen's NR_CPUS tops out at 4096 on x86). */
export const MAX_CPUS = 4096;

export const TRC_LOST_RECORDS = 0x0001f001;
export const TRC_TRACE_WRAP_BUFFER = 0x0001f002;
export const TRC_TRACE_CPU_CHANGE = 0x0001f003;
/** xenalyze's pseudo-event for the second processing of a lost-records record; never in a file. */
export const TRC_LOST_RECORDS_END = 0x0001f032;

export const TRC_SCHED_CONTINUE_RUNNING = 0x00021002;
export const TRC_SCHED_DOM_ADD = 0x00028001;
export const TRC_SCHED_DOM_REM = 0x00028002;
export const TRC_SCHED_SLEEP = 0x00028003;
export const TRC_SCHED_WAKE = 0x00028004;
export const TRC_SCHED_BLOCK = 0x00028006;
export const TRC_SCHED_SWITCH = 0x0002800a;
export const TRC_SCHED_SWITCH_INFPREV = 0x0002800e;
export const TRC_SCHED_SWITCH_INFNEXT = 0x0002800f;
export const TRC_SCHED_SWITCH_INFCONT = 0x00028011;
export const TRC_DOM0_DOM_ADD = 0x00041001;
export const TRC_DOM0_DOM_REM = 0x00041002;
export const TRC_HVM_VMENTRY = 0x00081001;
export const TRC_HVM_VMEXIT64 = 0x00081102;

export const RUNSTATE_RUNNING = 0;
export const RUNSTATE_RUNNABLE = 1;
export const RUNSTATE_BLOCKED = 2;
export const RUNSTATE_OFFLINE = 3;
export const RUNSTATE_NAMES = ['running', 'runnable', 'blocked', 'offline'] as const;

/** Runstate changes carry old and new state in the id: 0x00021001 | old << 8 | new << 4. */
export const isRunstateChange = (id: number): boolean => (id & 0x0ffff00f) === 0x00021001;
export const runstateId = (oldState: number, newState: number): number =>
  0x00021001 | (oldState << 8) | (newState << 4);

export const DOMID_IDLE = 0x7fff;
/** Domain ids from here up are Xen's special ids (idle, DOMID_SELF, ...), never guests. */
export const DOMID_FIRST_RESERVED = 0x7ff0;

/** Record size from its header word. */
export const recordBytes = (hdr: number): number =>
  4 + (hdr >>> 31) * 8 + ((hdr >>> EXTRA_SHIFT) & 7) * 4;

/** xenalyze's top-level classes (bit i of bits 16..23 of the id) and its per-CPU volume names. */
export const TOPLEVEL_NAMES = [
  'gen',
  'sched',
  'dom0op',
  'hvm',
  'mem',
  'pv',
  'shadow',
  'hw',
] as const;
export const HVM_VOLUME_NAMES = ['vmentry', 'vmexit', 'handler'] as const;
