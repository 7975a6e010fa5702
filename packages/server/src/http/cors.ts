// Server-wide CORS (oss-protocol §12, threats §B11 and §C8.69). OSS evaluates per-bucket CORSRule lists;
// Upcall has one rule built from config `corsOrigins`: `['*']` = any origin, echoed back exactly (never `*`
// with credentials; Access-Control-Allow-Credentials is never sent), a list = those origins only (each may
// hold one `*` wildcard, as OSS AllowedOrigin does), `[]` = CORS off. Methods and the exposed headers
// follow the ali-oss browser guidance in §12; any requested header is allowed (AllowedHeader `*`).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OssError } from '@upcall/protocol';

export const corsAllowedMethods = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'] as const;
export const corsExposeHeaders = [
  'ETag',
  'x-oss-request-id',
  'x-oss-hash-crc64ecma',
  'Content-MD5',
  'x-oss-version-id',
] as const;
export const corsMaxAgeSeconds = 600;

/** Serialized origins carry no path; a configured `https://app.example/` means `https://app.example`. */
export function normalizeOrigin(origin: string): string {
  return origin.trim().toLowerCase().replace(/\/+$/, '');
}

/** True when `origin` matches one configured pattern (`*`, exact, or one `*` wildcard). */
export function checkCorsOrigin(origin: string, allowed: readonly string[]): boolean {
  const candidate = normalizeOrigin(origin);
  return allowed.some((pattern) => {
    const normalized = normalizeOrigin(pattern);
    if (normalized === '*') return true;
    const star = normalized.indexOf('*');
    if (star === -1) return candidate === normalized;
    const prefix = normalized.slice(0, star);
    const suffix = normalized.slice(star + 1);
    return (
      candidate.length >= prefix.length + suffix.length &&
      candidate.startsWith(prefix) &&
      candidate.endsWith(suffix)
    );
  });
}

function addVary(res: ServerResponse, names: readonly string[]): void {
  const current = String(res.getHeader('Vary') ?? '');
  const present = new Set(
    current
      .split(',')
      .map((v) => v.trim().toLowerCase())
      .filter(Boolean),
  );
  const added = names.filter((name) => !present.has(name.toLowerCase()));
  if (added.length > 0) res.setHeader('Vary', [current, ...added].filter(Boolean).join(', '));
}

function isAllowedMethod(method: string): boolean {
  return (corsAllowedMethods as readonly string[]).includes(method.toUpperCase());
}

/**
 * Actual (non-preflight) requests: when the Origin is allowed and the method is one CORS allows, echo the
 * origin and expose the headers browsers need; error responses keep these (send-error.ts). Caches must
 * key on Origin whatever the verdict, hence `Vary: Origin` always.
 */
export function applyCorsHeaders(
  req: IncomingMessage,
  res: ServerResponse,
  allowed: readonly string[],
): void {
  addVary(res, ['Origin']);
  const origin = req.headers.origin;
  if (origin === undefined || req.method === undefined) return;
  if (!isAllowedMethod(req.method) || !checkCorsOrigin(origin, allowed)) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Expose-Headers', corsExposeHeaders.join(', '));
}

/**
 * Answers an OPTIONS preflight (§12): 200 with the Access-Control-Allow-* set when Origin and
 * Access-Control-Request-Method match, otherwise throws 403 AccessForbidden — thrown before any
 * Access-Control-Allow-* header is set, so the refusal carries none (§C8.69).
 */
export function answerCorsPreflight(
  req: IncomingMessage,
  res: ServerResponse,
  allowed: readonly string[],
): void {
  addVary(res, ['Origin', 'Access-Control-Request-Method', 'Access-Control-Request-Headers']);
  const origin = req.headers.origin;
  const method = req.headers['access-control-request-method'];
  if (origin === undefined || method === undefined || !isAllowedMethod(method)) {
    throw new OssError('AccessForbidden');
  }
  if (!checkCorsOrigin(origin, allowed)) throw new OssError('AccessForbidden');
  res.statusCode = 200;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Allow-Methods', corsAllowedMethods.join(', '));
  const requestedHeaders = req.headers['access-control-request-headers'];
  if (requestedHeaders !== undefined && requestedHeaders.trim() !== '') {
    res.setHeader('Access-Control-Allow-Headers', requestedHeaders);
  }
  res.setHeader('Access-Control-Expose-Headers', corsExposeHeaders.join(', '));
  res.setHeader('Access-Control-Max-Age', String(corsMaxAgeSeconds));
  res.setHeader('Content-Length', '0');
  res.end();
}
