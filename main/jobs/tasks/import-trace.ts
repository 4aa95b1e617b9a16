/** Worker-side xentrace import (main/trace): progress in bytes and records; cancel ends the thread. */
import { importTrace, type TraceImport, type UserIdMapping, type WakeAs } from '../../trace/index';
import type { PolicyConfig } from '../../../shared/params';
import { requireSomeRecords } from '../../trace/no-records';
import { requireRegularFile } from '../../trace/regular-file';
import { progressReporter, type TaskFn } from '../task';

export interface ImportTraceInput {
  path: string;
  cpuHz?: number | null;
  piDomains?: number[] | null;
  policy?: PolicyConfig;
  userIds?: UserIdMapping[];
  wakeAs?: WakeAs;
}

const mb = (b: number) => `${(b / 1e6).toFixed(b < 1e7 ? 1 : 0)} MB`;
const count = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} M` : `${n}`);

export const importTraceTask: TaskFn<ImportTraceInput, TraceImport> = async (input, ctx) => {
  requireRegularFile(input.path);
  const report = progressReporter(ctx);
  const result = await importTrace(input.path, {
    cpuHz: input.cpuHz,
    piDomains: input.piDomains,
    policy: input.policy,
    userIds: input.userIds,
    wakeAs: input.wakeAs,
    cancelled: ctx.cancelled,
    onProgress: ({ bytes, totalBytes, records }) =>
      report(
        totalBytes > 0 ? bytes / totalBytes : 1,
        `${mb(bytes)} / ${mb(totalBytes)}, ${count(records)} records`,
      ),
  });
  requireSomeRecords(result);
  report(1, `${mb(result.file.bytes)}, ${count(result.stats.records)} records`, true);
  return result;
};
