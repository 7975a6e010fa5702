// Turns UploadTicketOptions into the values a policy signs, applying the secure defaults and refusing
// unsafe ones with OssError (so the ticket handler can answer 400 with OSS's code names).
import { OssError } from '@upcall/protocol';
import { buildRandomObjectKey, buildUserKeyPrefix, extractFileExtension } from './build-object-key.js';
import { checkObjectKey } from './check-object-key.js';
import type { UploadTicketOptions } from './upload-ticket.js';

export const defaultTicketExpirySeconds = 5 * 60;
export const maxTicketExpirySeconds = 10 * 60;
/** OSS's single-request upload limit (§3.7): the range signed when the app allows unbounded sizes. */
export const ossMaxUploadBytes = 5 * 1024 * 1024 * 1024;

function invalidArgument(argumentName: string, message: string): OssError {
  return new OssError('InvalidArgument', { message, extra: [['ArgumentName', argumentName]] });
}

function requireKey(key: string, what: 'key' | 'key prefix'): string {
  const verdict = checkObjectKey(key, what);
  if (!verdict.ok) throw new OssError(verdict.code, { message: verdict.message });
  return key;
}

/** Bucket name (§2: lower-case letters, digits, `-`, 3–63) and an http(s) endpoint URL. */
export function checkTicketTarget(options: UploadTicketOptions): void {
  if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(options.bucket)) throw new OssError('InvalidBucketName');
  let host: URL | undefined;
  try {
    host = new URL(options.host);
  } catch {
    host = undefined;
  }
  if (host === undefined || (host.protocol !== 'http:' && host.protocol !== 'https:')) {
    throw invalidArgument('host', 'The upload host must be an http(s) URL.');
  }
  if (options.userId === '') throw invalidArgument('userId', 'The user id must not be empty.');
}

/**
 * Exact mode (default): `key`, or `<prefix><random>.<ext>`. Prefix mode: the browser picks the name, the
 * policy pins `starts-with $key <prefix>` — so the prefix must be non-empty and end with `/` (threats
 * §C2.14: `user/alice` would also admit `user/alice2/…`; §C2.25: an empty prefix admits any key).
 */
export function resolveTicketKey(
  options: UploadTicketOptions,
  random: Uint8Array,
): { key: string | undefined; keyPrefix: string } {
  const keyPrefix = options.keyPrefix ?? buildUserKeyPrefix(options.userId);
  if (options.keyMode === 'prefix') {
    if (options.key !== undefined)
      throw invalidArgument('key', 'An exact key cannot be combined with keyMode "prefix".');
    requireKey(keyPrefix, 'key prefix');
    if (!keyPrefix.endsWith('/'))
      throw invalidArgument('keyPrefix', 'A key prefix the browser may extend must end with "/".');
    return { key: undefined, keyPrefix };
  }
  if (options.key !== undefined) return { key: requireKey(options.key, 'key'), keyPrefix };
  if (keyPrefix !== '') requireKey(keyPrefix, 'key prefix');
  const key = buildRandomObjectKey(keyPrefix, random, extractFileExtension(options.filename));
  return { key: requireKey(key, 'key'), keyPrefix };
}

/** Policy expiration in ms: default 5 min, at most 10 min unless the application opts in. */
export function resolveTicketExpiry(options: UploadTicketOptions, nowMs: number): number {
  const seconds = options.expiresInSeconds ?? defaultTicketExpirySeconds;
  if (!Number.isSafeInteger(seconds) || seconds <= 0) {
    throw invalidArgument(
      'expiresInSeconds',
      'The ticket expiry must be a positive whole number of seconds.',
    );
  }
  if (seconds > maxTicketExpirySeconds && options.allowLongExpiry !== true) {
    throw invalidArgument(
      'expiresInSeconds',
      `Tickets expire within ${maxTicketExpirySeconds} s unless allowLongExpiry is set (a leaked ticket is a write grant).`,
    );
  }
  return nowMs + seconds * 1000;
}

const mediaTypePattern = /^[A-Za-z0-9!#$&^_.+-]{1,127}\/[A-Za-z0-9!#$&^_.+-]{1,127}$/;

function checkSize(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > ossMaxUploadBytes) {
    throw invalidArgument(
      name,
      `${name} must be a whole number of bytes between 0 and ${ossMaxUploadBytes}.`,
    );
  }
  return value;
}

export interface TicketLimits {
  readonly minSizeBytes: number;
  readonly maxSizeBytes: number;
  readonly allowedContentTypes: readonly string[] | undefined;
  readonly contentType: string | undefined;
}

/** content-length-range is mandatory (threats §C2.24); content types become an `in` list (§C2.26). */
export function resolveTicketLimits(options: UploadTicketOptions): TicketLimits {
  if (options.maxSizeBytes === undefined && options.allowUnboundedSize !== true) {
    throw invalidArgument('maxSizeBytes', 'maxSizeBytes is required (or set allowUnboundedSize: true).');
  }
  const maxSizeBytes = checkSize('maxSizeBytes', options.maxSizeBytes ?? ossMaxUploadBytes);
  const minSizeBytes = checkSize(
    'minSizeBytes',
    options.minSizeBytes ?? (options.allowEmpty === true ? 0 : 1),
  );
  if (minSizeBytes > maxSizeBytes)
    throw invalidArgument('minSizeBytes', 'minSizeBytes is larger than maxSizeBytes.');
  const { contentType } = options;
  const allowed = options.allowedContentTypes ?? (contentType === undefined ? undefined : [contentType]);
  for (const type of [...(allowed ?? []), ...(contentType === undefined ? [] : [contentType])]) {
    if (!mediaTypePattern.test(type))
      throw invalidArgument('allowedContentTypes', `Invalid content type ${JSON.stringify(type)}.`);
  }
  if (allowed !== undefined && allowed.length === 0) {
    throw invalidArgument(
      'allowedContentTypes',
      'allowedContentTypes must not be empty (omit it to allow any type).',
    );
  }
  if (contentType !== undefined && allowed !== undefined && !allowed.includes(contentType)) {
    throw invalidArgument('contentType', `Content type ${contentType} is not among the allowed types.`);
  }
  const exact = contentType ?? (allowed?.length === 1 ? allowed[0] : undefined);
  return { minSizeBytes, maxSizeBytes, allowedContentTypes: allowed, contentType: exact };
}
