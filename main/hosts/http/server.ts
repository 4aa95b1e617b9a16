import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, extname, join, normalize, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { PUSH_EVENTS } from '../../../shared/api';
import { ApiError } from '../../../shared/errors';
import { dispatch } from '../../api/dispatch';
import type { Services } from '../../api/services';
import {
  checkHostAndOrigin,
  CSP,
  newToken,
  presentedToken,
  sameToken,
  TOKEN_COOKIE,
} from './security';

export interface HttpHostOptions {
  services: Services;
  /** Built renderer (out/renderer). */
  rendererDir: string;
  /** 0 = any free port. */
  port?: number;
  token?: string;
  uploadDir?: string;
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

function refuse(res: ServerResponse, status: number, message: string): void {
  send(res, status, {
    ok: false,
    error: new ApiError(status === 404 ? 'not-found' : 'unavailable', message).toPayload(),
  });
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
 * events over a WebSocket (/events), on 127.0.0.1 only, every request carrying the per-start token.
 */
export async function startHttpHost(opts: HttpHostOptions): Promise<HttpHost> {
  const token = opts.token ?? newToken();
  const rendererDir = resolve(opts.rendererDir);
  const uploadDir = opts.uploadDir ?? join(tmpdir(), 'xen-pi-lab-uploads');
  const maxJson = opts.maxJsonBytes ?? 16 * 1024 * 1024;
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
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (!sameToken(presentedToken(req, url), token))
      return refuse(
        res,
        401,
        'refused: missing or wrong token (open the URL printed by `xen-pi-lab serve`)',
      );

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return refuse(res, 405, 'use POST');
      const channel = decodeURIComponent(url.pathname.slice(5));
      let body: unknown;
      try {
        body = await readJson(req, maxJson);
      } catch (e) {
        return send(res, 400, { ok: false, error: (e as ApiError).toPayload() });
      }
      const reply = await dispatch(opts.services.handlers, channel, body);
      return send(res, reply.ok ? 200 : reply.error.code === 'internal' ? 500 : 400, reply);
    }

    if (url.pathname === '/upload') {
      if (req.method !== 'POST') return refuse(res, 405, 'use POST');
      const name = basename(url.searchParams.get('name') ?? 'upload.bin').replace(/[^\w.+-]/g, '_');
      mkdirSync(uploadDir, { recursive: true });
      const path = join(uploadDir, `${randomBytes(6).toString('hex')}-${name}`);
      await pipeline(req, createWriteStream(path));
      return send(res, 200, { ok: true, value: { path } });
    }

    if (url.pathname === '/download/notebook') {
      if (req.method !== 'GET') return refuse(res, 405, 'use GET');
      return downloadNotebook(res);
    }

    if (req.method !== 'GET' && req.method !== 'HEAD')
      return refuse(res, 405, 'method not allowed');
    // The page is opened once with ?token=...; a strict same-site cookie carries it to assets.
    res.setHeader(
      'set-cookie',
      `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
    );
    const rel =
      url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
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

  /**
   * The whole notebook as one SQLite file, downloaded by the browser (the browser host's
   * "Export notebook"): exported to a temporary file on this machine, streamed, then removed.
   */
  async function downloadNotebook(res: ServerResponse) {
    const tmp = join(tmpdir(), `xen-pi-lab-download-${randomBytes(6).toString('hex')}.db`);
    try {
      const reply = await dispatch(opts.services.handlers, 'notebook.export', { path: tmp });
      if (!reply.ok) return send(res, reply.error.code === 'internal' ? 500 : 400, reply);
      const name = `xen-pi-lab-notebook-${new Date().toISOString().slice(0, 19).replace(/[-:]/g, '')}.db`;
      res.writeHead(200, {
        'content-type': 'application/vnd.sqlite3',
        'content-disposition': `attachment; filename="${name}"`,
        'content-length': String(statSync(tmp).size),
        'cache-control': 'no-store',
      });
      await pipeline(createReadStream(tmp), res);
    } finally {
      rmSync(tmp, { force: true });
    }
  }

  const wss = new WebSocketServer({ noServer: true });
  const clients = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const bad = checkHostAndOrigin(req, port);
    if (bad || url.pathname !== '/events' || !sameToken(presentedToken(req, url), token)) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
    });
  });

  const forwarders = PUSH_EVENTS.map((event) => {
    const fn = (payload: unknown) => {
      const msg = JSON.stringify({ event, payload });
      for (const c of clients) if (c.readyState === c.OPEN) c.send(msg);
    };
    opts.services.events.on(event, fn as never);
    return () => opts.services.events.off(event, fn as never);
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;

  return {
    server,
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    async close() {
      forwarders.forEach((f) => f());
      for (const c of clients) c.terminate();
      wss.close();
      const closed = new Promise<void>((ok) => server.close(() => ok()));
      server.closeAllConnections();
      await closed;
    },
  };
}
