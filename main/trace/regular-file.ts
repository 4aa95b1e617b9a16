/**
 * Import reads only regular files. A FIFO blocks `open()` until a writer appears and a device such
 * as /dev/zero never ends; a thread blocked in either cannot be terminated, so cancel and shutdown
 * would hang. Checked with stat (which does not open the file) before anything opens it.
 */
import { statSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';

/** The path is not a regular file (a FIFO, device, socket or folder): nothing was read. */
export class NotRegularFileError extends Error {
  constructor(path: string, what: string) {
    super(`${resolve(path)} is ${what}, not a regular file: only xentrace dump files are imported`);
    // Mapped to `bad-input` by the API dispatcher.
    this.name = 'BadInputError';
  }
}

function kind(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a folder';
  return 'not a file';
}

/** Throws unless `path` is a regular file (symlinks followed); ENOENT passes through as is. */
export function requireRegularFile(path: string): void {
  const st = statSync(path);
  if (!st.isFile()) throw new NotRegularFileError(path, kind(st));
}
