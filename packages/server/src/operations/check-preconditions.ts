// Conditional GET/HEAD (RFC 9110 §13.2.2 evaluation order; OSS answers 412 PreconditionFailed and 304 Not
// Modified the same way): If-Match, else If-Unmodified-Since → 412; then If-None-Match, else
// If-Modified-Since → 304. Unparseable dates are ignored (RFC 9110 §13.1.3, .4).
import type { IncomingHttpHeaders } from 'node:http';

export type PreconditionVerdict = 'proceed' | 'not-modified' | 'precondition-failed';

interface Validators {
  readonly etag: string;
  readonly lastModifiedMs: number;
}

/** `"ABC"`, `W/"ABC"`, `ABC` all compare as `ABC` (upper-cased: OSS ETags are hex of either case). */
function normalizeEtag(value: string): string {
  return value
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1')
    .toUpperCase();
}

function matchesAny(header: string, etag: string): boolean {
  const own = normalizeEtag(etag);
  return header.split(',').some((candidate) => candidate.trim() === '*' || normalizeEtag(candidate) === own);
}

/** HTTP dates have one-second resolution, so the stored time is compared truncated to the second. */
function readDateMs(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const ms = Date.parse(header);
  return Number.isNaN(ms) ? undefined : ms;
}

export function checkPreconditions(headers: IncomingHttpHeaders, object: Validators): PreconditionVerdict {
  const modifiedMs = Math.floor(object.lastModifiedMs / 1000) * 1000;
  const ifMatch = headers['if-match'];
  if (ifMatch !== undefined) {
    if (!matchesAny(ifMatch, object.etag)) return 'precondition-failed';
  } else {
    const unmodifiedSince = readDateMs(headers['if-unmodified-since']);
    if (unmodifiedSince !== undefined && modifiedMs > unmodifiedSince) return 'precondition-failed';
  }
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    return matchesAny(ifNoneMatch, object.etag) ? 'not-modified' : 'proceed';
  }
  const modifiedSince = readDateMs(headers['if-modified-since']);
  if (modifiedSince !== undefined && modifiedMs <= modifiedSince) return 'not-modified';
  return 'proceed';
}
