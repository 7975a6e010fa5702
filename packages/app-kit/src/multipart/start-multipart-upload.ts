// Starts a presigned multipart upload for a signed-in user: the app server itself sends
// InitiateMultipartUpload (so the object's key, under the user's prefix, and its Content-Type are the
// app's choice, not the browser's), then records the upload as pending — the record id is the one-time
// id the completion callback carries, exactly as for a POST ticket (anchors §7.3). The OSS upload id is
// kept in the record's appData (`upcallMultipart`), never trusted from the browser.
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import type { UploadRecord } from '../records/upload-record-store.js';
import {
  buildRandomObjectKey,
  buildUserKeyPrefix,
  extractFileExtension,
} from '../tickets/build-object-key.js';
import { checkObjectKey } from '../tickets/check-object-key.js';
import { abortStorageUpload } from './abort-multipart-upload.js';
import { buildMultipartAppData } from './multipart-app-data.js';
import {
  buildStorageDeps,
  defaultUploadLifetimeSeconds,
  readNowMs,
  type MultipartUploadOptions,
} from './multipart-options.js';
import { MultipartRequestError } from './multipart-request-error.js';
import { parseInitiateUploadId } from './multipart-xml.js';
import { sendStorageRequest } from './send-storage-request.js';
import { refuseStorageAnswer } from './refuse-storage-answer.js';

export interface StartMultipartRequest {
  readonly userId: string;
  /** Only its extension (1–16 letters/digits) is kept in the key. */
  readonly fileName?: string;
  /** The size the browser announces; checked against the limits now and against ListParts at completion. */
  readonly sizeBytes: number;
  /** Default `application/octet-stream`; must be allowed. */
  readonly contentType?: string;
  /** App data stored on the record (JSON object); the member `upcallMultipart` is reserved. */
  readonly appData?: Readonly<Record<string, unknown>>;
}

export interface StartedMultipartUpload {
  /** The record id: what the browser names the upload by (and the callback's `uploadId`). */
  readonly uploadId: string;
  readonly key: string;
  readonly expiresAtMs: number;
  readonly record: UploadRecord;
}

const mediaTypePattern = /^[A-Za-z0-9!#$&^_.+-]{1,127}\/[A-Za-z0-9!#$&^_.+-]{1,127}$/;

function checkSize(options: MultipartUploadOptions, sizeBytes: number): void {
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 0)
    throw new MultipartRequestError('bad-request', 'size must be a whole number of bytes.');
  if (sizeBytes > options.maxSizeBytes)
    throw new MultipartRequestError('too-large', `Files may be at most ${options.maxSizeBytes} bytes.`);
  if (sizeBytes < (options.minSizeBytes ?? 1))
    throw new MultipartRequestError(
      'too-small',
      `Files must be at least ${options.minSizeBytes ?? 1} bytes.`,
    );
}

function resolveContentType(options: MultipartUploadOptions, requested: string | undefined): string {
  const contentType = requested === undefined || requested === '' ? 'application/octet-stream' : requested;
  if (!mediaTypePattern.test(contentType))
    throw new MultipartRequestError('bad-request', 'contentType is not a media type.');
  const allowed = options.allowedContentTypes;
  if (allowed !== undefined && !allowed.some((type) => type.toLowerCase() === contentType.toLowerCase()))
    throw new MultipartRequestError('unsupported-type', `Content type ${contentType} is not allowed.`);
  return contentType;
}

/** `<prefix><32 hex>.<ext>`: the prefix must be a folder (threats §C2.14) and the key valid (§2). */
function buildKey(
  options: MultipartUploadOptions,
  request: StartMultipartRequest,
  random: Uint8Array,
): string {
  const prefix = options.keyPrefix?.(request.userId) ?? buildUserKeyPrefix(request.userId);
  if (!prefix.endsWith('/') || !checkObjectKey(prefix, 'key prefix').ok)
    throw new Error(`The key prefix ${JSON.stringify(prefix)} must be a valid key ending with "/".`);
  const key = buildRandomObjectKey(prefix, random, extractFileExtension(request.fileName));
  const verdict = checkObjectKey(key, 'key');
  if (!verdict.ok) throw new MultipartRequestError('bad-request', verdict.message);
  return key;
}

async function initiate(options: MultipartUploadOptions, key: string, contentType: string): Promise<string> {
  const answer = await sendStorageRequest(
    options.storage,
    { method: 'POST', key, query: [['uploads', '']], headers: { 'content-type': contentType } },
    buildStorageDeps(options),
  );
  if (answer.status !== 200) refuseStorageAnswer('InitiateMultipartUpload', answer);
  return parseInitiateUploadId(answer.bodyText);
}

export async function startMultipartUpload(
  options: MultipartUploadOptions,
  request: StartMultipartRequest,
): Promise<StartedMultipartUpload> {
  if (request.userId === '') throw new MultipartRequestError('bad-request', 'The user id must not be empty.');
  checkSize(options, request.sizeBytes);
  const contentType = resolveContentType(options, request.contentType);
  const random = options.randomBytes ?? ((size: number) => cryptoRandomBytes(size));
  const key = buildKey(options, request, random(16));
  const uploadId = Buffer.from(random(16)).toString('base64url');
  const ossUploadId = await initiate(options, key, contentType);
  const nowMs = readNowMs(options);
  const expiresAtMs = nowMs + (options.uploadLifetimeSeconds ?? defaultUploadLifetimeSeconds) * 1000;
  try {
    const record = await options.store.insertPending({
      id: uploadId,
      userId: request.userId,
      bucket: options.storage.bucket,
      key,
      keyIsPrefix: false,
      createdAtMs: nowMs,
      expiresAtMs,
      appData: buildMultipartAppData(request.appData, {
        ossUploadId,
        contentType,
        sizeBytes: request.sizeBytes,
      }),
    });
    return { uploadId, key, expiresAtMs, record };
  } catch (error) {
    // No record, no way to complete it: do not leave the parts' storage behind (best effort).
    await abortStorageUpload(options, key, ossUploadId).catch(() => undefined);
    throw error;
  }
}
