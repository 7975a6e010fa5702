// OSS multipart parts as backend objects. S3 needs 5 MiB per part where OSS allows 100 KiB (oss-protocol
// §8), so OSS parts cannot be backend parts one for one; each is its own object, assembled at Complete.
// A part's checksums travel in its key, `.upcall/parts/<uploadId>/<nnnnn>.<version>.<info>`, so that
// ListParts and Complete need one listing instead of a HEAD per part. Re-uploading a part writes a new
// version; the newest version of a number is the part, older ones are deleted after the new one exists.
import { randomBytes } from 'node:crypto';
import type { PartInfo } from './multipart-store.js';
import { partPrefix } from './s3-hidden-keys.js';

/** A part as listed: its info plus the backend key that holds its bytes and the version ordering it. */
export interface PartVersion {
  readonly info: PartInfo;
  readonly key: string;
  readonly version: string;
}

interface PartKeyInfo {
  readonly s: number;
  readonly e: string;
  readonly c: string;
  readonly t: number;
}

/**
 * Versions that sort in commit order within one process, and by wall clock across processes (ms
 * resolution, so two instances re-uploading one part number within the clock skew may keep the older
 * one — documented in docs/scale-out.md). 16 digits of microsecond-ish counter + 4 random hex digits.
 */
export class PartVersionClock {
  #last = 0;

  next(nowMs: number): string {
    this.#last = Math.max(Math.trunc(nowMs) * 1000, this.#last + 1);
    return `${String(this.#last).padStart(16, '0')}${randomBytes(2).toString('hex')}`;
  }
}

export function partNumberPrefix(uploadId: string, partNumber: number): string {
  return `${partPrefix(uploadId)}${String(partNumber).padStart(5, '0')}.`;
}

export function encodePartKey(uploadId: string, info: PartInfo, version: string): string {
  const payload: PartKeyInfo = { s: info.size, e: info.etag, c: info.crc64, t: info.lastModifiedMs };
  const encoded = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${partNumberPrefix(uploadId, info.partNumber)}${version}.${encoded}`;
}

function isPartKeyInfo(value: unknown): value is PartKeyInfo {
  if (typeof value !== 'object' || value === null) return false;
  const { s, e, c, t } = value as Record<string, unknown>;
  return Number.isSafeInteger(s) && typeof e === 'string' && typeof c === 'string' && Number.isSafeInteger(t);
}

/** The part a listed key describes; undefined for a key this codec did not write. */
export function decodePartKey(uploadId: string, key: string): PartVersion | undefined {
  const prefix = partPrefix(uploadId);
  if (!key.startsWith(prefix)) return undefined;
  const match = /^(\d{5})\.(\d{16}[0-9a-f]{4})\.([A-Za-z0-9_-]+)$/.exec(key.slice(prefix.length));
  if (match === null) return undefined;
  const [, number, version, encoded] = match as unknown as [string, string, string, string];
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isPartKeyInfo(payload)) return undefined;
  const info: PartInfo = {
    partNumber: Number(number),
    size: payload.s,
    etag: payload.e,
    crc64: payload.c,
    lastModifiedMs: payload.t,
  };
  return { info, key, version };
}

/** The newest version of each part number, in part-number order. */
export function newestPartVersions(versions: readonly PartVersion[]): PartVersion[] {
  const newest = new Map<number, PartVersion>();
  for (const version of versions) {
    const known = newest.get(version.info.partNumber);
    if (known === undefined || known.version < version.version) newest.set(version.info.partNumber, version);
  }
  return [...newest.values()].sort((a, b) => a.info.partNumber - b.info.partNumber);
}
