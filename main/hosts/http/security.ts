import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The asset cookie's name carries the port: browsers send cookies to every port of a host, so two
 * labs on different ports would otherwise overwrite each other's. Its value is not the API token
 * (see server.ts), because every other web service on 127.0.0.1 the user visits receives it too.
 */
export function tokenCookie(port: number): string {
  return `xpl_token_${port}`;
}

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function sameToken(a: string | null | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** decodeURIComponent that answers null for malformed percent-encoding instead of throwing. */
export function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/** The API token from the Authorization header or the `token` query parameter. */
export function explicitToken(req: IncomingMessage, url: URL): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  return url.searchParams.get('token') || null;
}

/**
 * The value of cookie `name`; a value that is not valid percent-encoding counts as absent (a 401,
 * never a crash).
 */
export function cookieValue(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return safeDecode(v.join('='));
  }
  return null;
}

/**
 * DNS-rebinding and cross-site defence: the Host must be our loopback address and port, and a
 * browser-supplied Origin must be our own.
 */
export function checkHostAndOrigin(req: IncomingMessage, port: number): string | null {
  const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const host = req.headers.host;
  if (!host || !allowedHosts.has(host.toLowerCase()))
    return `foreign Host header ${JSON.stringify(host ?? '')}`;
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let o: URL;
    try {
      o = new URL(origin);
    } catch {
      return `malformed Origin ${JSON.stringify(origin)}`;
    }
    if (o.protocol !== 'http:' || !allowedHosts.has(o.host.toLowerCase()))
      return `foreign Origin ${JSON.stringify(origin)}`;
  } else if (origin === 'null') {
    return 'opaque Origin refused';
  }
  return null;
}

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*; font-src 'self'; object-src 'none'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
