// Applies a verified callback to its upload record. OSS never retries a callback (§9.1), but the same
// signed request can be replayed by anyone who saw it, and an uploader may retry after a 203 (§9.6) — so
// the one-time upload id decides: a genuine repeat (same object and ETag) gets the stored reply again and
// changes nothing; a second, different use of the id is refused (threats §C6.54, §C6.55).
import type { UploadRecord, UploadRecordStore } from '../records/upload-record-store.js';
import { CallbackVerificationError } from './callback-verification-error.js';
import type { VerifiedCallback } from './verified-callback.js';

export type BuildCallbackReply = (record: UploadRecord, callback: VerifiedCallback) => unknown;

export interface ConfirmUploadOptions {
  readonly now?: () => number;
  /** The JSON OSS relays to the browser (§9.6). Default `{ status: 'confirmed', uploadId, key }`. */
  readonly buildReply?: BuildCallbackReply;
  /** Refuse callbacks for tickets that expired more than `lateGraceMs` ago (default: accept them). */
  readonly rejectLateCallbacks?: boolean;
  /** OSS checks expiry when the upload completes (§4.2), so its callback may arrive a little later. Default 60 s. */
  readonly lateGraceMs?: number;
}

export interface ConfirmedUpload {
  readonly outcome: 'confirmed' | 'replayed';
  readonly record: UploadRecord;
  /** The exact reply body to send (the stored one on replay). */
  readonly replyJson: string;
}

/** §9.6: OSS refuses replies over 1 MB (CONFLICT 1 vs 3 MB; the smaller one is safe). */
export const maxReplyBytes = 1024 * 1024;

function refuse(
  reason: 'unknown-upload' | 'replayed' | 'key-mismatch' | 'expired-ticket',
  message: string,
): never {
  throw new CallbackVerificationError(reason, message);
}

function matchesTicket(record: UploadRecord, callback: VerifiedCallback): boolean {
  if (record.bucket !== callback.bucket) return false;
  return record.keyIsPrefix ? callback.object.startsWith(record.key) : callback.object === record.key;
}

function isSameUpload(record: UploadRecord, callback: VerifiedCallback): boolean {
  return (
    record.status === 'confirmed' && record.etag === callback.etag && record.objectKey === callback.object
  );
}

function encodeReply(reply: unknown): string {
  const json = JSON.stringify(reply);
  if (typeof json !== 'string') throw new TypeError('The callback reply must be JSON-serialisable.');
  if (Buffer.byteLength(json, 'utf8') > maxReplyBytes)
    throw new RangeError('The callback reply exceeds 1 MB (§9.6).');
  return json;
}

function defaultReply(record: UploadRecord, callback: VerifiedCallback): unknown {
  return { status: 'confirmed', uploadId: record.id, key: callback.object };
}

export async function confirmUpload(
  callback: VerifiedCallback,
  store: UploadRecordStore,
  options: ConfirmUploadOptions = {},
): Promise<ConfirmedUpload> {
  const now = options.now ?? Date.now;
  const record =
    (await store.get(callback.uploadId)) ?? refuse('unknown-upload', 'No upload was issued with this id.');
  if (!matchesTicket(record, callback))
    refuse('key-mismatch', 'The callback names another bucket or object than the ticket.');
  if (record.status === 'confirmed') {
    if (isSameUpload(record, callback))
      return { outcome: 'replayed', record, replyJson: record.replyJson ?? encodeReply(null) };
    refuse('replayed', 'This upload id was already confirmed for another object.');
  }
  if (options.rejectLateCallbacks === true && now() > record.expiresAtMs + (options.lateGraceMs ?? 60_000)) {
    refuse('expired-ticket', 'The ticket of this upload had expired.');
  }
  const replyJson = encodeReply(await (options.buildReply ?? defaultReply)(record, callback));
  const outcome = await store.confirm({
    id: record.id,
    key: callback.object,
    size: callback.size,
    etag: callback.etag,
    mimeType: callback.mimeType === '' ? null : callback.mimeType,
    confirmedAtMs: now(),
    replyJson,
  });
  switch (outcome.kind) {
    case 'confirmed':
      return { outcome: 'confirmed', record: outcome.record, replyJson };
    case 'replayed': // a concurrent identical callback won the race: its reply is the one OSS relays
      return {
        outcome: 'replayed',
        record: outcome.record,
        replyJson: outcome.record.replyJson ?? replyJson,
      };
    case 'unknown-upload':
      return refuse('unknown-upload', 'No upload was issued with this id.');
    case 'conflict':
      return refuse('replayed', 'This upload id was already confirmed for another object.');
    case 'key-mismatch':
      return refuse('key-mismatch', 'The callback names another object than the ticket.');
  }
}
