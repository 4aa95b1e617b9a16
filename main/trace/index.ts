/**
 * The xentrace importer's public API: read a dump (streaming), estimate its clock, rebuild the
 * model's operations, run them through the engine; replay them under another policy; write any
 * op stream back as a dump. docs/trace-import.md describes the rules and every output field.
 */
import type { OpColumns } from './op-columns';
import { writeTraceSync, type WriteOptions, type WriteSummary } from './writer';
import type { Op } from '../../shared/ops';

export type { OpColumns } from './op-columns';
export type { TraceError, TraceStats, LostSpan } from './types';
export type { UserIdMapping } from './decoder';
export type { WakeAs, OfflineAs } from './reconstruct';
export type { DomainSeen } from './domains-seen';
export type { PiRecordLists } from './pi-records';
export type { ListProvenance } from './provenance';
export { describeEvent } from './decoder';
export { parseUserIdMappings } from './user-ids';
export { CancelledError } from './reader';
export { replayOps } from './replay';
export { OpReplayer, UPSTREAM } from './op-replayer';
export {
  importTrace,
  importTraceSummary,
  type ImportOptions,
  type ImportTimings,
  type TraceAssumptions,
  type TraceImport,
  type TraceImportSummary,
} from './import';
export {
  OP_SERIES_NAMES,
  columnsFromOps,
  opsFromColumns,
  opsFromSeries,
  opsToSeries,
} from './op-columns';

export async function writeTrace(
  path: string,
  ops: Iterable<Op> | OpColumns,
  opts: WriteOptions = {},
): Promise<WriteSummary> {
  return writeTraceSync(path, ops, opts);
}
