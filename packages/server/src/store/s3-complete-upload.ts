// CompleteMultipartUpload for S3ObjectStore. Exactly one Complete per upload may run, across all gateway
// instances: it first creates `.upcall/claims/<uploadId>` with `If-None-Match: *` (atomic on Ceph 16,
// measured: one of ten concurrent writers wins), and every other Complete answers NoSuchUpload (threats
// §C5 item 49). The claim holder checks the chosen parts against what is stored (InvalidPart,
// InvalidPartOrder), publishes the object with all its metadata in one step (s3-publish.ts), then
// removes the upload. A refused Complete (bad list, FileAlreadyExists) releases the claim: the upload
// stays resumable. An instance that dies holding a claim leaves the upload uncompletable until expiry.
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { ObjectMeta } from './object-store.js';
import type { ChosenPart } from './multipart-store.js';
import { checkChosenParts } from './chosen-parts.js';
import { asOssError, isPreconditionFailedError } from './s3-errors.js';
import { claimKey } from './s3-hidden-keys.js';
import { encodeObjectHeaders } from './s3-meta-codec.js';
import type { PartVersion } from './s3-part-keys.js';
import { publishSegments } from './s3-publish.js';
import type { S3StoreContext, S3Target } from './s3-store-context.js';
import { deleteUpload, listCurrentParts, readUploadRecord } from './s3-upload-records.js';
import { noSuchUpload } from './store-errors.js';

export interface CompleteRequest {
  readonly upload: { readonly bucket: string; readonly key: string; readonly uploadId: string };
  readonly parts: readonly ChosenPart[];
  readonly result: { readonly etag: string; readonly crc64: string };
  readonly forbidOverwrite: boolean;
}

/** true when this caller now holds the upload's claim. */
async function takeClaim(ctx: S3StoreContext, backend: string, uploadId: string): Promise<boolean> {
  try {
    await ctx.client.send(
      new PutObjectCommand({
        Bucket: backend,
        Key: claimKey(uploadId),
        Body: JSON.stringify({ claimedMs: ctx.now() }),
        IfNoneMatch: '*',
      }),
    );
    return true;
  } catch (error) {
    if (isPreconditionFailedError(error)) return false;
    throw error;
  }
}

async function releaseClaim(ctx: S3StoreContext, backend: string, uploadId: string): Promise<void> {
  try {
    await ctx.client.send(new DeleteObjectCommand({ Bucket: backend, Key: claimKey(uploadId) }));
  } catch (error) {
    ctx.warn('could not release a Complete claim; the upload waits for expiry', {
      backend,
      uploadId,
      err: error,
    });
  }
}

/** The chosen parts' stored versions, checked like every store checks them (chosen-parts.ts). */
async function readChosen(
  ctx: S3StoreContext,
  backend: string,
  request: CompleteRequest,
): Promise<PartVersion[]> {
  const stored = new Map(
    (await listCurrentParts(ctx, backend, request.upload.uploadId)).map((v) => [v.info.partNumber, v]),
  );
  const found = checkChosenParts(request.parts, (partNumber) => {
    const version = stored.get(partNumber);
    return version === undefined ? undefined : { etag: version.info.etag, version };
  });
  return found.map((entry) => entry.version);
}

async function assembleClaimed(
  ctx: S3StoreContext,
  target: S3Target,
  request: CompleteRequest,
  meta: Omit<ObjectMeta, 'size' | 'lastModifiedMs'>,
): Promise<ObjectMeta> {
  const chosen = await readChosen(ctx, target.backendBucket, request);
  const size = chosen.reduce((sum, version) => sum + version.info.size, 0);
  const stored: ObjectMeta = { ...meta, size, lastModifiedMs: ctx.now() };
  const { uploadId } = request.upload;
  await publishSegments(
    ctx,
    {
      target,
      headers: encodeObjectHeaders(stored),
      forbidOverwrite: request.forbidOverwrite,
      // Aborted while the parts were being assembled: do not publish what the client gave up.
      beforePublish: async () => {
        const still = await readUploadRecord(ctx, target.ossBucket, target.backendBucket, uploadId);
        if (still === undefined) throw noSuchUpload(uploadId);
      },
    },
    chosen.map((version) => ({ key: version.key, start: 0, end: version.info.size - 1 })),
    size,
  );
  return stored;
}

export async function completeS3Upload(ctx: S3StoreContext, request: CompleteRequest): Promise<ObjectMeta> {
  const { bucket, key, uploadId } = request.upload;
  const backend = ctx.buckets.tryBackendFor(bucket);
  if (backend === undefined) throw noSuchUpload(uploadId);
  return asOssError(bucket, async () => {
    const info = await readUploadRecord(ctx, bucket, backend, uploadId);
    if (info === undefined || info.key !== key) throw noSuchUpload(uploadId);
    if (!(await takeClaim(ctx, backend, uploadId))) throw noSuchUpload(uploadId);
    const target: S3Target = { ossBucket: bucket, backendBucket: backend, key };
    const meta = { ...info.meta, etag: request.result.etag, contentMd5: '', crc64: request.result.crc64 };
    let stored: ObjectMeta;
    try {
      stored = await assembleClaimed(ctx, target, request, meta);
    } catch (error) {
      await releaseClaim(ctx, backend, uploadId);
      throw error;
    }
    try {
      await deleteUpload(ctx, backend, uploadId);
    } catch (error) {
      ctx.warn('completed upload left behind; expiry removes it', { backend, uploadId, err: error });
    }
    return stored;
  });
}
