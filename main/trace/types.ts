/** Shapes the importer hands out (CLI `--json`, jobs, store params); docs/trace-import.md. */

/** A decoding problem: where in the file, what was expected, what was there. Data before it is kept. */
export interface TraceError {
  /** Byte offset in the file. */
  offset: number;
  kind:
    | 'bad-window-header'
    | 'bad-cpu'
    | 'unaligned-window'
    | 'short-window'
    | 'truncated-header'
    | 'record-past-window'
    | 'truncated-record'
    | 'not-xentrace';
  message: string;
}

export interface LostSpan {
  cpu: number;
  /** Records Xen reported lost. */
  lost: number;
  startNs: number;
  endNs: number;
}

export interface TraceStats {
  bytes: number;
  /** Bytes of the file that form whole, valid windows (the rest was reported in `errors`). */
  decodedBytes: number;
  /** Every record, the CPU_CHANGE records included (the definition of `NAME.events.txt`). */
  records: number;
  recordsWithTsc: number;
  windows: number;
  cpus: number[];
  /** Per pCPU: records in its windows (CPU_CHANGE records not included). */
  perCpuRecords: Record<string, number>;
  perCpuWindows: Record<string, number>;
  /** TRC_LOST_RECORDS records, and the number of records they say were lost. */
  lostRecords: number;
  recordsLost: number;
  wrapRecords: number;
  /** Records whose id is in neither the decoder table nor the user's mapping. */
  unknownRecords: number;
  /** Hex id (0x%08x) -> count, every record included. */
  eventCounts: Record<string, number>;
  /** Lowest and highest TSC of any TSC-carrying record (decimal strings: TSCs exceed 2^53). */
  firstTsc: string | null;
  lastTsc: string | null;
  durationNs: number;
  /** Domains and vCPUs named by scheduler records (idle 32767 included, as xenalyze lists it). */
  domains: number[];
  vcpus: string[];
  /** Domains that were current on a pCPU when it wrote an HVM record. */
  hvmDomains: number[];
  /** HVM records written while the pCPU's current vCPU was unknown. */
  hvmUnattributed: number;
  /** Records whose TSC is lower than the previous one of the same pCPU. */
  tscBackwards: number;
  /** xenalyze's "Log volume summary": bytes per pCPU per class (lost records count twice, as there). */
  volume: Record<string, Record<string, number>>;
}
