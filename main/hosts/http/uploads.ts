/**
 * Uploaded dumps of the browser host: kept in a private folder of this process (mkdtemp, mode
 * 0700, so no other local user can read them or pre-create the folder), bounded in size, deleted
 * when the import that reads them ends, when the host closes, and, for hosts that died without
 * closing, at the next start-up.
 */
import {
  chmodSync,
  createWriteStream,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';

/** Folder names are PREFIX + owner pid + '-' + random: the owner is known from the name alone. */
const PREFIX = 'xen-pi-lab-uploads-';

/** The upload went over the size limit (HTTP 413); nothing of it is kept. */
export class UploadTooLargeError extends Error {
  constructor(limit: number) {
    super(`upload over the ${limit}-byte limit refused`);
    this.name = 'UploadTooLargeError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes upload folders of this user whose owning process is gone (a host that was killed). */
export function sweepStaleUploads(parent = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = join(parent, name);
    try {
      const st = lstatSync(dir);
      // Only our own real folders: never follow a link, never touch another user's files.
      if (!st.isDirectory() || (process.getuid && st.uid !== process.getuid())) continue;
      const pid = Number(/^(\d+)-/.exec(name.slice(PREFIX.length))?.[1]);
      if (pid > 0 && alive(pid)) continue;
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      /* raced with its owner or another sweep: leave it */
    }
  }
  return removed;
}

/** Resolves once the request body has been read to its end (discarded) or the client is gone. */
function drained(req: IncomingMessage): Promise<void> {
  if (req.complete || req.destroyed) return Promise.resolve();
  return new Promise((done) => {
    req.once('end', done);
    req.once('close', done);
    req.resume();
  });
}

export class UploadFolder {
  readonly dir: string;
  private readonly files = new Set<string>();

  /** `parent` defaults to the system temp folder; the folder itself is always fresh and 0700. */
  constructor(
    parent: string = tmpdir(),
    readonly maxBytes: number = 4 * 1024 ** 3,
  ) {
    mkdirSync(parent, { recursive: true, mode: 0o700 });
    // The pid is in the name from the start, so a concurrent sweep never takes it for a dead one.
    this.dir = mkdtempSync(join(parent, `${PREFIX}${process.pid}-`));
    chmodSync(this.dir, 0o700);
  }

  /**
   * Streams the request body into a new file; over `maxBytes` it is deleted and refused. The rest
   * of a refused body is read and discarded (never written) before the refusal is answered: closing
   * a socket with unread data resets it, and the client would never see its 413.
   */
  async receive(req: IncomingMessage, name: string): Promise<string> {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.maxBytes) {
      await drained(req);
      throw new UploadTooLargeError(this.maxBytes);
    }
    const safe = basename(name).replace(/[^\w.+-]/g, '_') || 'upload.bin';
    const path = join(this.dir, `${randomBytes(6).toString('hex')}-${safe}`);
    this.files.add(path);
    let size = 0;
    const limit = this.maxBytes;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > limit) done(new UploadTooLargeError(limit));
        else done(null, chunk);
      },
    });
    // Not pipeline(req, ...): on an error it would destroy the request, socket and all.
    const file = createWriteStream(path, { mode: 0o600 });
    const written = pipeline(counter, file);
    req.once('close', () => {
      if (!req.complete) counter.destroy(new Error('upload aborted by the client'));
    });
    req.pipe(counter);
    try {
      await written;
    } catch (e) {
      req.unpipe(counter);
      // The file is opened asynchronously: remove it only once the stream is closed, or an open
      // still under way would create it again after the removal.
      if (!file.closed) await new Promise<void>((r) => file.once('close', () => r()));
      this.remove(path);
      if (e instanceof UploadTooLargeError) await drained(req);
      throw e;
    }
    return path;
  }

  /** True for a file this folder handed out and still holds. */
  owns(path: string): boolean {
    return this.files.has(path) && dirname(path) === this.dir;
  }

  remove(path: string): void {
    if (!this.files.delete(path)) return;
    rmSync(path, { force: true });
  }

  close(): void {
    this.files.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
