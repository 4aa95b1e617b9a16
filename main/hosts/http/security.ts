import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The token cookie's name carries the port: browsers send cookies to every port of a host, so a
 * fixed name would reach any other web service on 127.0.0.1 the user visits, and two labs on
 * different ports would overwrite each other's token.
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

/**
 * The token from the Authorization header, the `token` query parameter or our cookie; a cookie
 * that is not valid percent-encoding counts as no token (refused with 401, never a crash).
 */
export function presentedToken(req: IncomingMessage, url: URL, cookie: string): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const q = url.searchParams.get('token');
  if (q) return q;
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === cookie) return safeDecode(v.join('='));
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
