// The state of OSS multipart uploads in the backend bucket, so that any gateway instance can take the
// next part or the Complete of an upload another instance initiated (no local state):
//   .upcall/uploads/<uploadId>         JSON: key, initiation time, the metadata given at Initiate
//   .upcall/parts/<uploadId>/<n>.<v>.<info>   one object per part version (s3-part-keys.ts)
//   .upcall/claims/<uploadId>          taken by the one Complete allowed to run
import { DeleteObjectsCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { MultipartUploadInfo } from './multipart-store.js';
import { snapshotNewMeta } from './object-meta.js';
import type { NewObjectMeta } from './object-store.js';
import { isNotFoundError } from './s3-errors.js';
import {
  claimKey,
  isWellFormedUploadId,
  partPrefix,
  uploadRecordKey,
  uploadRecordPrefix,
} from './s3-hidden-keys.js';
import { listAllKeys } from './s3-object-list.js';
import { decodePartKey, newestPartVersions, partNumberPrefix, type PartVersion } from './s3-part-keys.js';
import { mapLimited, type S3StoreContext } from './s3-store-context.js';

interface UploadRecord {
  readonly v: 1;
  readonly key: string;
  readonly initiatedMs: number;
  readonly meta: NewObjectMeta;
}

/** Creates the record (`If-None-Match: *`: an id is never reused, even by a clashing instance). */
export async function writeUploadRecord(
  ctx: S3StoreContext,
  backend: string,
  info: MultipartUploadInfo,
): Promise<void> {
  const record: UploadRecord = { v: 1, key: info.key, initiatedMs: info.initiatedMs, meta: info.meta };
  await ctx.client.send(
    new PutObjectCommand({
      Bucket: backend,
      Key: uploadRecordKey(info.uploadId),
      Body: JSON.stringify(record),
      ContentType: 'application/json',
      IfNoneMatch: '*',
    }),
  );
}

function parseRecord(text: string): UploadRecord | undefined {
  try {
    const record = JSON.parse(text) as Partial<UploadRecord> | null;
    if (record === null || record.v !== 1 || typeof record.key !== 'string') return undefined;
    if (!Number.isSafeInteger(record.initiatedMs) || typeof record.meta !== 'object') return undefined;
    return record as UploadRecord;
  } catch {
    return undefined;
  }
}

/** The upload, or undefined when there is none with this id for this key (ids from clients). */
export async function readUploadRecord(
  ctx: S3StoreContext,
  ossBucket: string,
  backend: string,
  uploadId: string,
): Promise<MultipartUploadInfo | undefined> {
  if (!isWellFormedUploadId(uploadId)) return undefined;
  let text: string;
  try {
    const response = await ctx.client.send(
      new GetObjectCommand({ Bucket: backend, Key: uploadRecordKey(uploadId) }),
    );
    text = (await response.Body?.transformToString('utf8')) ?? '';
  } catch (error) {
    if (isNotFoundError(error)) return undefined;
    throw error;
  }
  const record = parseRecord(text);
  if (record === undefined) return undefined;
  const meta = snapshotNewMeta({ ...record.meta, bucket: ossBucket, key: record.key });
  return { uploadId, bucket: ossBucket, key: record.key, initiatedMs: record.initiatedMs, meta };
}

/** Ids of every recorded upload of a backend bucket. */
export async function listUploadIds(ctx: S3StoreContext, backend: string): Promise<string[]> {
  const keys = await listAllKeys(ctx, backend, uploadRecordPrefix);
  return keys.map((listed) => listed.key.slice(uploadRecordPrefix.length)).filter(isWellFormedUploadId);
}

/** Every upload of a backend bucket, read record by record (ListMultipartUploads is rare). */
export async function listUploadRecords(
  ctx: S3StoreContext,
  ossBucket: string,
  backend: string,
): Promise<MultipartUploadInfo[]> {
  const ids = await listUploadIds(ctx, backend);
  const infos = await mapLimited(ids, ctx.tuning.concurrency, (id) =>
    readUploadRecord(ctx, ossBucket, backend, id),
  );
  return infos.filter((info): info is MultipartUploadInfo => info !== undefined);
}

/**
 * Stored part versions of an upload, or of one part number (several per number only while a replacement
 * settles).
 */
export async function listPartVersions(
  ctx: S3StoreContext,
  backend: string,
  uploadId: string,
  partNumber?: number,
): Promise<PartVersion[]> {
  const prefix = partNumber === undefined ? partPrefix(uploadId) : partNumberPrefix(uploadId, partNumber);
  const keys = await listAllKeys(ctx, backend, prefix);
  return keys
    .map((listed) => decodePartKey(uploadId, listed.key))
    .filter((v): v is PartVersion => v !== undefined);
}

export async function listCurrentParts(
  ctx: S3StoreContext,
  backend: string,
  uploadId: string,
): Promise<PartVersion[]> {
  return newestPartVersions(await listPartVersions(ctx, backend, uploadId));
}

/** Deletes keys in batches of 1000 (DeleteObjects' limit). */
export async function deleteKeys(
  ctx: S3StoreContext,
  backend: string,
  keys: readonly string[],
): Promise<void> {
  const batches = Array.from({ length: Math.ceil(keys.length / 1000) }, (_, i) =>
    keys.slice(i * 1000, i * 1000 + 1000),
  );
  await mapLimited(batches, 4, (batch) =>
    ctx.client.send(
      new DeleteObjectsCommand({
        Bucket: backend,
        Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
      }),
    ),
  );
}

/**
 * Removes an upload: the record first (so no part commit or Complete can start after it), then every
 * part version and the claim.
 */
export async function deleteUpload(ctx: S3StoreContext, backend: string, uploadId: string): Promise<void> {
  await deleteKeys(ctx, backend, [uploadRecordKey(uploadId)]);
  const parts = await listAllKeys(ctx, backend, partPrefix(uploadId));
  await deleteKeys(ctx, backend, [...parts.map((listed) => listed.key), claimKey(uploadId)]);
}
