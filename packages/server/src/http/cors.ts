// CORS (oss-protocol §12, threats §B11 and §C8.69). A bucket with a stored CORS configuration
// (PutBucketCors) is judged by its own rules only — in document order, first match wins, no match ⇒ no
// CORS headers (and 403 AccessForbidden for a preflight), exactly as OSS does. A bucket without one, a
// missing bucket and requests that name no bucket fall back to the server-wide rule built from config
// `corsOrigins` (`--cors-origin`): `['*']` = any origin, a list = those origins only (each may hold one
// `*` wildcard), `[]` = CORS off; all methods of §12, any requested header, the exposed headers of the
// ali-oss browser guidance. The allowed origin is always echoed (never `*`), Access-Control-Allow-
// Credentials is never sent, and every response carries `Vary: Origin` (docs/compatibility.md).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OssError, isOssError } from '@upcall/protocol';
import type { BucketCors, BucketCorsRule, ObjectStore } from '../store/object-store.js';

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

/** `*`, an exact (case-insensitive) match, or one `*` wildcard standing for any run of characters. */
function matchPattern(candidate: string, pattern: string): boolean {
  if (pattern === '*') return true;
  const star = pattern.indexOf('*');
  if (star === -1) return candidate === pattern;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  return (
    candidate.length >= prefix.length + suffix.length &&
    candidate.startsWith(prefix) &&
    candidate.endsWith(suffix)
  );
}

/** True when `origin` matches one allowed pattern (`*`, exact, or one `*` wildcard). */
export function checkCorsOrigin(origin: string, allowed: readonly string[]): boolean {
  const candidate = normalizeOrigin(origin);
  return allowed.some((pattern) => matchPattern(candidate, normalizeOrigin(pattern)));
}

/** Every requested header must match an AllowedHeader, case-insensitively (§12). */
function checkCorsHeaders(requested: readonly string[], allowed: readonly string[]): boolean {
  const patterns = allowed.map((pattern) => pattern.trim().toLowerCase());
  return requested.every((name) => patterns.some((pattern) => matchPattern(name, pattern)));
}

/** The server-wide rule from `--cors-origin`; no rule at all when the list is empty (CORS off). */
export function buildServerCors(corsOrigins: readonly string[]): BucketCors {
  if (corsOrigins.length === 0) return { rules: [], responseVary: true };
  const rule: BucketCorsRule = {
    allowedOrigins: corsOrigins,
    allowedMethods: corsAllowedMethods,
    allowedHeaders: ['*'],
    exposeHeaders: corsExposeHeaders,
    maxAgeSeconds: corsMaxAgeSeconds,
  };
  return { rules: [rule], responseVary: true };
}

/**
 * The CORS configuration that judges this request: the bucket's own when it has one, else `server`.
 * Only requests with an Origin need it (others just get `Vary: Origin`), so the store is not asked
 * otherwise.
 */
export async function resolveCors(
  store: ObjectStore,
  req: IncomingMessage,
  bucket: string | undefined,
  server: BucketCors,
): Promise<BucketCors> {
  if (bucket === undefined || req.headers.origin === undefined) return server;
  try {
    const own = await store.getBucketCors(bucket);
    return own !== undefined && own.rules.length > 0 ? own : server;
  } catch (error) {
    if (isOssError(error) && error.code === 'NoSuchBucket') return server;
    throw error;
  }
}

/** The first rule allowing `origin`, `method` and every requested header; undefined when none does. */
export function findCorsRule(
  cors: BucketCors,
  request: { origin: string; method: string; headers?: readonly string[] },
): BucketCorsRule | undefined {
  const method = request.method.toUpperCase();
  return cors.rules.find(
    (rule) =>
      checkCorsOrigin(request.origin, rule.allowedOrigins) &&
      rule.allowedMethods.some((allowed) => allowed.toUpperCase() === method) &&
      checkCorsHeaders(request.headers ?? [], rule.allowedHeaders),
  );
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

function setExposeHeaders(res: ServerResponse, rule: BucketCorsRule): void {
  if (rule.exposeHeaders.length > 0)
    res.setHeader('Access-Control-Expose-Headers', rule.exposeHeaders.join(', '));
}

/**
 * Actual (non-preflight) requests: when a rule allows the Origin and the method, echo the origin and
 * expose the rule's headers; error responses keep these (send-error.ts). Caches must key on Origin
 * whatever the verdict, hence `Vary: Origin` always.
 */
export function applyCorsHeaders(req: IncomingMessage, res: ServerResponse, cors: BucketCors): void {
  addVary(res, ['Origin']);
  const origin = req.headers.origin;
  if (origin === undefined || req.method === undefined) return;
  const rule = findCorsRule(cors, { origin, method: req.method });
  if (rule === undefined) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  setExposeHeaders(res, rule);
}

function readRequestedHeaders(req: IncomingMessage): string[] {
  const raw = req.headers['access-control-request-headers'] ?? '';
  return raw
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
}

/**
 * Answers an OPTIONS preflight (§12): 200 with the Access-Control-Allow-* set when a rule matches Origin,
 * Access-Control-Request-Method and every Access-Control-Request-Headers entry, otherwise throws 403
 * AccessForbidden — thrown before any Access-Control-Allow-* header is set, so the refusal carries none
 * (§C8.69).
 */
export function answerCorsPreflight(req: IncomingMessage, res: ServerResponse, cors: BucketCors): void {
  addVary(res, ['Origin', 'Access-Control-Request-Method', 'Access-Control-Request-Headers']);
  const origin = req.headers.origin;
  const method = req.headers['access-control-request-method'];
  if (origin === undefined || method === undefined) throw new OssError('AccessForbidden');
  const headers = readRequestedHeaders(req);
  const rule = findCorsRule(cors, { origin, method, headers });
  if (rule === undefined) throw new OssError('AccessForbidden');
  res.statusCode = 200;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Allow-Methods', rule.allowedMethods.join(', '));
  const requestedHeaders = req.headers['access-control-request-headers'];
  if (requestedHeaders !== undefined && requestedHeaders.trim() !== '') {
    res.setHeader('Access-Control-Allow-Headers', requestedHeaders);
  }
  setExposeHeaders(res, rule);
  if (rule.maxAgeSeconds !== undefined) res.setHeader('Access-Control-Max-Age', String(rule.maxAgeSeconds));
  res.setHeader('Content-Length', '0');
  res.end();
}
