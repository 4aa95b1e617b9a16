/**
 * A file in which the reader found no valid record is not a dump: importing it must fail (nothing
 * saved), whatever the caller then does with the result. Checked on the finished import, before it
 * is saved or printed, by every importer (CLI, import job).
 */
import type { TraceImportSummary } from './import';

export class NoRecordsError extends Error {
  constructor(imp: Pick<TraceImportSummary, 'file' | 'errors'>) {
    const why = imp.errors[0]?.message ?? (imp.file.bytes === 0 ? 'the file is empty' : null);
    super(
      `${imp.file.name} holds no valid xentrace record${why ? ` (${why})` : ''}: nothing was ` +
        'imported or saved. Is it a dump written by `xentrace`?',
    );
    this.name = 'TraceFormatError'; // `bad-input` over the API
  }
}

/** The refusal of an import that read no record at all; null when it read some. */
export function noRecords(
  imp: Pick<TraceImportSummary, 'stats' | 'file' | 'errors'>,
): NoRecordsError | null {
  return imp.stats.records === 0 ? new NoRecordsError(imp) : null;
}

/** Throws NoRecordsError when the import read no record at all. */
export function requireSomeRecords<T extends TraceImportSummary>(imp: T): T {
  const refused = noRecords(imp);
  if (refused) throw refused;
  return imp;
}
