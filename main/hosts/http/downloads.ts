import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '../../../shared/errors';
import { dispatch, type Handlers, type Reply } from '../../api/dispatch';
import { storeZip } from './zip';

/** What the browser downloads: a file on this machine, or bytes built in memory. */
export interface Download {
  fileName: string;
  mime: string;
  /** A file to stream (removed by `cleanup`), or the bytes themselves. */
  path?: string;
  bytes?: Buffer;
  cleanup: () => void;
}

export type DownloadResult = { ok: true; download: Download } | { ok: false; reply: Reply };

const stampNow = () => new Date().toISOString().slice(0, 19).replace(/[-:]/g, '');
/**
 * A fresh private folder (mkdtemp: mode 0700, a random name no other local user can pre-create or
 * read into) for one export, and how to remove it.
 */
function privateTmp(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'xen-pi-lab-download-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function bad(message: string): DownloadResult {
  return {
    ok: false,
    reply: { ok: false, error: new ApiError('invalid-argument', message).toPayload() },
  };
}

/**
 * The browser host's file downloads (GET /download/...): the same exports the desktop app writes
 * by path, written into a private temporary folder on this machine through the validated API
 * channel, handed to the browser, then removed.
 *  - `/download/notebook`: the notebook's SQLite file (`notebook.export`);
 *  - `/download/run?id=N&format=perfetto`: the run as a Perfetto trace (`experiments.exportPerfetto`);
 *  - `/download/run?id=N&format=parquet`: the run's Parquet tables (`experiments.exportParquet`),
 *    one zip with a `<table>.parquet` member per table.
 * A bad id or format is an `invalid-argument` reply and writes nothing.
 */
export async function prepareDownload(
  handlers: Handlers,
  pathname: string,
  query: URLSearchParams,
): Promise<DownloadResult> {
  if (pathname === '/download/notebook') {
    const { dir, cleanup } = privateTmp();
    const path = join(dir, 'notebook.db');
    const reply = await dispatch(handlers, 'notebook.export', { path });
    if (!reply.ok) return (cleanup(), { ok: false, reply });
    const fileName = `xen-pi-lab-notebook-${stampNow()}.db`;
    return { ok: true, download: { fileName, mime: 'application/vnd.sqlite3', path, cleanup } };
  }
  if (pathname !== '/download/run') return bad(`no download at ${pathname}`);
  const format = query.get('format');
  // Zod checks the id (a positive integer); a missing or non-numeric one fails there.
  const id = Number(query.get('id') ?? Number.NaN);
  if (format === 'perfetto') {
    const { dir, cleanup } = privateTmp();
    const path = join(dir, 'run.perfetto.json');
    const reply = await dispatch(handlers, 'experiments.exportPerfetto', { id, path });
    if (!reply.ok) return (cleanup(), { ok: false, reply });
    const fileName = `run-${id}.perfetto.json`;
    return { ok: true, download: { fileName, mime: 'application/json', path, cleanup } };
  }
  if (format === 'parquet') {
    const { dir: tmp, cleanup } = privateTmp();
    // The export makes this folder itself (it must not exist yet).
    const dir = join(tmp, 'tables');
    try {
      const reply = await dispatch(handlers, 'experiments.exportParquet', { id, dir });
      if (!reply.ok) return (cleanup(), { ok: false, reply });
      const bytes = storeZip(
        readdirSync(dir)
          .sort()
          .map((name) => ({ name, data: readFileSync(join(dir, name)) })),
      );
      return {
        ok: true,
        download: { fileName: `run-${id}-parquet.zip`, mime: 'application/zip', bytes, cleanup },
      };
    } catch (e) {
      cleanup();
      throw e;
    }
  }
  return bad(`format must be perfetto or parquet, got ${JSON.stringify(format)}`);
}
