import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { PUSH_EVENTS } from '../../../shared/api';
import { ApiError, type ApiErrorCode } from '../../../shared/errors';
import { dispatch } from '../../api/dispatch';
import type { Services } from '../../api/services';
import {
  checkHostAndOrigin,
  CSP,
  cookieValue,
  explicitToken,
  newToken,
  safeDecode,
  sameToken,
  tokenCookie,
} from './security';
import { prepareDownload } from './downloads';
import { sweepStaleUploads, UploadFolder, UploadTooLargeError } from './uploads';

export interface HttpHostOptions {
  services: Services;
  /** Built renderer (out/renderer). */
  rendererDir: string;
  /** 0 = any free port. */
  port?: number;
  token?: string;
  /** Parent of the private upload folder (default: the system temp folder). */
  uploadDir?: string;
  /** Largest upload, bytes (default 4 GiB); more is refused with 413. */
  maxUploadBytes?: number;
  /** Largest JSON request body, bytes. */
  maxJsonBytes?: number;
}

export interface HttpHost {
  server: Server;
  port: number;
  token: string;
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** The error code every refusal status carries (a 401 is not "unavailable"). */
const REFUSAL_CODES: Record<number, ApiErrorCode> = {
  400: 'invalid-argument',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'invalid-argument',
  413: 'too-large',
};

function refuse(res: ServerResponse, status: number, message: string): void {
  send(res, status, {
    ok: false,
    error: new ApiError(REFUSAL_CODES[status] ?? 'internal', message).toPayload(),
  });
}

/** The request target as a URL, or null when it is not one (e.g. `GET http://[`). */
function requestUrl(req: IncomingMessage, port: number): URL | null {
  try {
    return new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
  } catch {
    return null;
  }
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
};

/** Ends a refused WebSocket upgrade with a plain HTTP status; never throws. */
function refuseUpgrade(socket: Duplex, status: number): void {
  try {
    if (socket.writable)
      socket.write(`HTTP/1.1 ${status} ${REASONS[status]}\r\nConnection: close\r\n\r\n`);
  } catch {
    /* the peer is gone already */
  }
  socket.destroy();
}

async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > limit) throw new ApiError('invalid-argument', `request body over ${limit} bytes`);
    chunks.push(c);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError('invalid-argument', 'request body is not valid JSON');
  }
}

/**
 * The browser host: the built renderer plus the API over HTTP (POST /api/<channel>) and push
 * events over a WebSocket (/events), on 127.0.0.1 only, every request carrying the per-start token
 * (static files: the asset cookie). Any malformed request or upgrade is a 4xx for that request.
 */
export async function startHttpHost(opts: HttpHostOptions): Promise<HttpHost> {
  const token = opts.token ?? newToken();
  // The cookie carries a second secret that opens only the page's static files: browsers send it
  // to every service on 127.0.0.1, so it must not be the API token (API, uploads and the event
  // socket take the token only from the Authorization header or `?token=`).
  const assetToken = newToken();
  const rendererDir = resolve(opts.rendererDir);
  const maxJson = opts.maxJsonBytes ?? 16 * 1024 * 1024;
  // Uploads of hosts that were killed are removed before this one makes its own folder.
  sweepStaleUploads(opts.uploadDir);
  const uploads = new UploadFolder(opts.uploadDir, opts.maxUploadBytes);
  /** Import jobs reading an upload: the file is deleted when the job ends. */
  const uploadJobs = new Map<string, string>();
  let port = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      if (!res.headersSent)
        send(res, 500, {
          ok: false,
          error: new ApiError('internal', (e as Error).message).toPayload(),
        });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-frame-options', 'DENY');
    const bad = checkHostAndOrigin(req, port);
    if (bad) return refuse(res, 403, `refused: ${bad}`);
    const url = requestUrl(req, port);
    if (!url) return refuse(res, 400, 'malformed request target');
    // The download route hands out the whole notebook: like the API, only the explicit token
    // (header or `?token=`) opens it, never the asset cookie.
    const isStatic =
      !url.pathname.startsWith('/api/') &&
      url.pathname !== '/upload' &&
      !url.pathname.startsWith('/download/');
    const authorised =
      sameToken(explicitToken(req, url), token) ||
      (isStatic && sameToken(cookieValue(req, tokenCookie(port)), assetToken));
    if (!authorised)
      return refuse(
        res,
        401,
        'refused: missing or wrong token (open the URL printed by `xen-pi-lab serve`)',
      );

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return refuse(res, 405, 'use POST');
      const channel = safeDecode(url.pathname.slice(5));
      if (channel === null) return refuse(res, 400, 'malformed percent-encoding in the path');
      let body: unknown;
      try {
        body = await readJson(req, maxJson);
      } catch (e) {
        return send(res, 400, { ok: false, error: (e as ApiError).toPayload() });
      }
      const reply = await dispatch(opts.services.handlers, channel, body);
      if (channel === 'trace.import') trackUpload(body, reply);
      return send(res, reply.ok ? 200 : reply.error.code === 'internal' ? 500 : 400, reply);
    }

    if (url.pathname === '/upload') {
      if (req.method !== 'POST') return refuse(res, 405, 'use POST');
      try {
        const path = await uploads.receive(req, url.searchParams.get('name') ?? 'upload.bin');
        return send(res, 200, { ok: true, value: { path } });
      } catch (e) {
        if (!(e instanceof UploadTooLargeError)) throw e;
        // Say so before closing: the client is still sending the rest of the body.
        res.setHeader('connection', 'close');
        return refuse(res, 413, e.message);
      }
    }

    if (url.pathname.startsWith('/download/')) {
      if (req.method !== 'GET') return refuse(res, 405, 'use GET');
      return download(res, url);
    }

    if (req.method !== 'GET' && req.method !== 'HEAD')
      return refuse(res, 405, 'method not allowed');
    // The page is opened once with ?token=...; a strict same-site cookie with the asset-only
    // secret lets the browser load its scripts and styles.
    res.setHeader(
      'set-cookie',
      `${tokenCookie(port)}=${assetToken}; HttpOnly; SameSite=Strict; Path=/`,
    );
    const decoded = safeDecode(url.pathname);
    if (decoded === null) return refuse(res, 400, 'malformed percent-encoding in the path');
    const rel = url.pathname === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
    const file = normalize(join(rendererDir, rel));
    if (!file.startsWith(rendererDir + sep)) return refuse(res, 404, 'not found');
    if (!existsSync(file) || !statSync(file).isFile()) {
      if (!existsSync(join(rendererDir, 'index.html')))
        return refuse(
          res,
          404,
          `renderer not built: run \`npm run build\` (looked in ${rendererDir})`,
        );
      return refuse(res, 404, 'not found');
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') return res.end();
    await pipeline(createReadStream(file), res);
  }

  /** A browser download (downloads.ts): streamed as an attachment, then removed. */
  async function download(res: ServerResponse, url: URL) {
    const r = await prepareDownload(opts.services.handlers, url.pathname, url.searchParams);
    if (!r.ok) {
      const code = r.reply.ok ? 'internal' : r.reply.error.code;
      return send(res, code === 'internal' ? 500 : code === 'not-found' ? 404 : 400, r.reply);
    }
    const d = r.download;
    try {
      res.writeHead(200, {
        'content-type': d.mime,
        'content-disposition': `attachment; filename="${d.fileName}"`,
        'content-length': String(d.bytes ? d.bytes.length : statSync(d.path!).size),
        'cache-control': 'no-store',
      });
      if (d.bytes) res.end(d.bytes);
      else await pipeline(createReadStream(d.path!), res);
    } finally {
      d.cleanup();
    }
  }

  const wss = new WebSocketServer({ noServer: true });
  const clients = new Set<WebSocket>();
  // Any failure of an upgrade (a target that is not a URL, a cookie that is not percent-encoding,
  // a socket error) ends that one socket with a 4xx; the host keeps serving.
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const url = requestUrl(req, port);
      if (!url) return refuseUpgrade(socket, 400);
      if (checkHostAndOrigin(req, port) || url.pathname !== '/events')
        return refuseUpgrade(socket, 403);
      // A cookie never opens the event socket: a cross-site page's WebSocket would carry it.
      if (!sameToken(explicitToken(req, url), token)) return refuseUpgrade(socket, 401);
      wss.handleUpgrade(req, socket, head, (ws) => {
        clients.add(ws);
        ws.on('error', () => ws.terminate());
        ws.on('close', () => clients.delete(ws));
      });
    } catch {
      refuseUpgrade(socket, 400);
    }
  });

  function trackUpload(body: unknown, reply: Awaited<ReturnType<typeof dispatch>>): void {
    const path = (body as { path?: unknown } | null)?.path;
    if (typeof path !== 'string' || !uploads.owns(path)) return;
    if (reply.ok) uploadJobs.set((reply.value as { jobId: string }).jobId, path);
    else uploads.remove(path);
  }
  const onJobDone = (job: { jobId: string }) => {
    const path = uploadJobs.get(job.jobId);
    if (path === undefined) return;
    uploadJobs.delete(job.jobId);
    uploads.remove(path);
  };
  opts.services.events.on('job.done', onJobDone);

  const forwarders = PUSH_EVENTS.map((event) => {
    const fn = (payload: unknown) => {
      const msg = JSON.stringify({ event, payload });
      for (const c of clients) if (c.readyState === c.OPEN) c.send(msg);
    };
    opts.services.events.on(event, fn as never);
    return () => opts.services.events.off(event, fn as never);
  });

  try {
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
    });
  } catch (e) {
    uploads.close();
    throw e;
  }
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;

  return {
    server,
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    async close() {
      forwarders.forEach((f) => f());
      opts.services.events.off('job.done', onJobDone);
      uploads.close();
      for (const c of clients) c.terminate();
      wss.close();
      const closed = new Promise<void>((ok) => server.close(() => ok()));
      server.closeAllConnections();
      await closed;
    },
  };
}
