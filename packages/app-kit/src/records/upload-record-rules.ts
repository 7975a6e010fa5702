// Store-independent rules shared by every UploadRecordStore, so SQLite and PostgreSQL cannot drift.
import type {
  ConfirmInput,
  ConfirmOutcome,
  FoundObject,
  NewUploadRecord,
  UploadRecord,
  UploadStatus,
} from './upload-record-store.js';

/** Statuses a valid callback may confirm: a late callback still wins over reconciliation or expiry. */
export const confirmableStatuses: readonly UploadStatus[] = ['pending', 'stored-unconfirmed', 'expired'];
/** Statuses reconciliation may move to stored-unconfirmed; confirmed is terminal. */
export const markableStatuses: readonly UploadStatus[] = ['pending', 'expired'];

export const defaultListLimit = 100;
export const maxListLimit = 1000;

/** ETags arrive quoted in headers and lists (`"ABC…"`) and unquoted in callback bodies; store them bare. */
export function normalizeEtag(etag: string): string {
  return etag.length >= 2 && etag.startsWith('"') && etag.endsWith('"') ? etag.slice(1, -1) : etag;
}

/** Whether a reported object key is covered by the ticket: the exact key, or any key under the prefix. */
export function checkReportedKey(record: UploadRecord, key: string): boolean {
  return record.keyIsPrefix ? key.startsWith(record.key) : key === record.key;
}

/**
 * Verdict before writing: a final outcome, or 'update' when the conditional UPDATE must be attempted.
 * A confirmed record answers 'replayed' only for the same object and etag (threats §C6.54); anything
 * else is a second use of a one-time id.
 */
export function checkConfirmPrecondition(
  record: UploadRecord | undefined,
  input: ConfirmInput,
): ConfirmOutcome | 'update' {
  if (record === undefined) return { kind: 'unknown-upload' };
  if (!checkReportedKey(record, input.key)) return { kind: 'key-mismatch', record };
  if (record.status !== 'confirmed') return 'update';
  const same = record.objectKey === input.key && record.etag === normalizeEtag(input.etag);
  return same ? { kind: 'replayed', record } : { kind: 'conflict', record };
}

export function requireNewUploadRecord(record: NewUploadRecord): void {
  for (const name of ['id', 'userId', 'bucket', 'key'] as const) requireText(name, record[name], false);
  requireText('appData', record.appData ?? null, true);
  requireMs('createdAtMs', record.createdAtMs);
  requireMs('expiresAtMs', record.expiresAtMs);
}

export function requireConfirmInput(input: ConfirmInput): void {
  for (const name of ['id', 'key', 'etag', 'replyJson'] as const) requireText(name, input[name], false);
  requireText('mimeType', input.mimeType, true);
  requireSize(input.size);
  requireMs('confirmedAtMs', input.confirmedAtMs);
}

export function requireFoundObject(found: FoundObject): void {
  requireText('key', found.key, false);
  requireText('etag', found.etag, false);
  requireSize(found.size);
}

/** NUL is refused up front: PostgreSQL text cannot hold it, and both stores must agree (contract). */
function requireText(name: string, value: string | null, nullable: boolean): void {
  if (value === null && nullable) return;
  if (typeof value !== 'string' || (value === '' && !nullable) || value.includes('\u0000')) {
    throw new TypeError(`${name} must be a string without NUL characters${nullable ? '' : ', not empty'}`);
  }
}

function requireSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 0)
    throw new TypeError('size must be a non-negative safe integer');
}

export function requireMs(name: string, value: number): void {
  if (!Number.isSafeInteger(value)) throw new TypeError(`${name} must be an integer number of milliseconds`);
}

export function resolveListLimit(limit: number | undefined): number {
  if (limit === undefined) return defaultListLimit;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new TypeError('list limit must be a positive integer');
  return Math.min(limit, maxListLimit);
}
