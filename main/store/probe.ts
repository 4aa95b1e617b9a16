/**
 * What a file given as a notebook is, decided from its first 100 bytes (the SQLite header) with a
 * plain read: nothing is opened through SQLite, so nothing is written, no `-wal`/`-shm` side file
 * appears, and a file we refuse stays byte-identical.
 *
 * Header fields (https://www.sqlite.org/fileformat.html#the_database_header), big-endian:
 * offset 18 write version (2 = WAL), 40 schema cookie, 60 user_version, 68 application_id.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';

const MAGIC = 'SQLite format 3\0';

export type FileProbe =
  | { state: 'missing' }
  /** 0 bytes: a new notebook may be made in it. */
  | { state: 'empty' }
  | { state: 'not-sqlite' }
  /** A folder, FIFO, device or socket: never opened (a FIFO would block the read). */
  | { state: 'not-a-file' }
  | {
      state: 'sqlite';
      applicationId: number;
      userVersion: number;
      /** 0 while the database never had a table (a freshly made SQLite file). */
      schemaCookie: number;
      wal: boolean;
      /** A `-wal` file with content sits beside it: the header may lag behind committed pages. */
      pendingWal: boolean;
    };

export function probeFile(path: string): FileProbe {
  if (!existsSync(path)) return { state: 'missing' };
  if (!statSync(path).isFile()) return { state: 'not-a-file' };
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(100);
    const n = readSync(fd, head, 0, 100, 0);
    if (n === 0) return { state: 'empty' };
    if (n < 100 || head.toString('latin1', 0, 16) !== MAGIC) return { state: 'not-sqlite' };
    const wal = `${path}-wal`;
    return {
      state: 'sqlite',
      applicationId: head.readInt32BE(68),
      userVersion: head.readInt32BE(60),
      schemaCookie: head.readUInt32BE(40),
      wal: head[18] === 2,
      pendingWal: existsSync(wal) && statSync(wal).size > 0,
    };
  } finally {
    closeSync(fd);
  }
}
