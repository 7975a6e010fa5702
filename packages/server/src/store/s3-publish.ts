// Making an object visible under its key with all its metadata in one backend step, so readers never see
// a body without its checksums (the OSS metadata is only complete at commit, after the last byte):
// - a buffered body: one PutObject;
// - a staged body: CopyObject from the staging key with the final metadata (Ceph copies by reference,
//   ~25 ms for 40 MiB measured; AWS copies inside S3);
// - byte ranges of other objects (OSS parts, or a staged body under a condition): one streamed PutObject
//   when small or conditional, else a backend multipart upload planned by s3-assemble-plan.ts.
// forbidOverwrite is `If-None-Match: *`, atomic on Ceph 16 for PutObject only: Ceph 16 ignores it on
// CompleteMultipartUpload and CopyObject (measured), so a conditional publish goes through PutObject
// whenever the size allows (≤ 5 GiB). Above that it is a HEAD check just before completing: a race with
// another writer is possible there (docs/scale-out.md "forbid-overwrite").
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { OssError } from '@upcall/protocol';
import { planAssembly, type PlannedPart, type Segment } from './s3-assemble-plan.js';
import { isNotFoundError, isPreconditionFailedError, toOssError } from './s3-errors.js';
import type { S3ObjectHeaders } from './s3-meta-codec.js';
import { streamSegments } from './s3-segment-stream.js';
import { verifyPublished } from './s3-verify-publish.js';
import { copySource, mapLimited, type S3StoreContext, type S3Target } from './s3-store-context.js';

export interface PublishRequest {
  readonly target: S3Target;
  readonly headers: S3ObjectHeaders;
  readonly forbidOverwrite: boolean;
  /** Runs right before the object becomes visible; throwing cancels (an upload aborted meanwhile). */
  readonly beforePublish?: () => Promise<void>;
}

function publishError(request: PublishRequest, error: unknown): OssError {
  if (request.forbidOverwrite && isPreconditionFailedError(error)) return new OssError('FileAlreadyExists');
  return toOssError(error, request.target.ossBucket);
}

/** beforePublish, then the one request that makes the object visible. */
async function guarded(request: PublishRequest, work: () => Promise<unknown>): Promise<void> {
  try {
    await request.beforePublish?.();
    await work();
  } catch (error) {
    throw publishError(request, error);
  }
}

function putObject(ctx: S3StoreContext, request: PublishRequest, body: Buffer | Readable, size: number) {
  const { target, headers, forbidOverwrite } = request;
  return ctx.client.send(
    new PutObjectCommand({
      Bucket: target.backendBucket,
      Key: target.key,
      Body: body,
      ContentLength: size,
      ...headers,
      ...(forbidOverwrite ? { IfNoneMatch: '*' } : {}),
    }),
  );
}

export function publishBuffer(ctx: S3StoreContext, request: PublishRequest, body: Buffer): Promise<void> {
  return guarded(request, async () => {
    await putObject(ctx, request, body, body.length);
    await verifyPublished(ctx, request.target, request.headers, body.length);
  });
}

/** Publishes a staged body (a complete backend object at `stagingKey`) under the target key. */
export function publishStaged(
  ctx: S3StoreContext,
  request: PublishRequest,
  stagingKey: string,
  size: number,
): Promise<void> {
  if (request.forbidOverwrite || size > ctx.tuning.maxSingleBytes) {
    return publishSegments(ctx, request, [{ key: stagingKey, start: 0, end: size - 1 }], size);
  }
  const { target, headers } = request;
  return guarded(request, async () => {
    await ctx.client.send(
      new CopyObjectCommand({
        Bucket: target.backendBucket,
        Key: target.key,
        CopySource: copySource(target.backendBucket, stagingKey),
        MetadataDirective: 'REPLACE',
        ...headers,
      }),
    );
    await verifyPublished(ctx, target, headers, size);
  });
}

/** Publishes the concatenation of `segments` (objects in the target's backend bucket). */
export async function publishSegments(
  ctx: S3StoreContext,
  request: PublishRequest,
  segments: readonly Segment[],
  totalBytes: number,
): Promise<void> {
  const { partBytes, maxSingleBytes } = ctx.tuning;
  if (totalBytes === 0) return publishBuffer(ctx, request, Buffer.alloc(0));
  if (totalBytes <= maxSingleBytes && (request.forbidOverwrite || totalBytes <= partBytes)) {
    const backendBucket = request.target.backendBucket;
    await guarded(request, async () => {
      await putObject(ctx, request, streamSegments(ctx, backendBucket, segments), totalBytes);
      await verifyPublished(ctx, request.target, request.headers, totalBytes);
    });
    return;
  }
  await publishMultipart(ctx, request, segments);
  try {
    await verifyPublished(ctx, request.target, request.headers, totalBytes);
  } catch (error) {
    throw publishError(request, error);
  }
}

async function uploadPlannedPart(
  ctx: S3StoreContext,
  target: S3Target,
  uploadId: string,
  part: PlannedPart,
  partNumber: number,
): Promise<string | undefined> {
  const address = {
    Bucket: target.backendBucket,
    Key: target.key,
    UploadId: uploadId,
    PartNumber: partNumber,
  };
  if (part.kind === 'copy') {
    const { segment } = part;
    const copied = await ctx.client.send(
      new UploadPartCopyCommand({
        ...address,
        CopySource: copySource(target.backendBucket, segment.key),
        CopySourceRange: `bytes=${segment.start}-${segment.end}`,
      }),
    );
    return copied.CopyPartResult?.ETag;
  }
  const body = streamSegments(ctx, target.backendBucket, part.segments);
  const uploaded = await ctx.client.send(
    new UploadPartCommand({ ...address, Body: body, ContentLength: part.size }),
  );
  return uploaded.ETag;
}

async function assertStillAbsent(ctx: S3StoreContext, target: S3Target): Promise<void> {
  try {
    await ctx.client.send(new HeadObjectCommand({ Bucket: target.backendBucket, Key: target.key }));
  } catch (error) {
    if (isNotFoundError(error)) return;
    throw error;
  }
  throw new OssError('FileAlreadyExists');
}

async function publishMultipart(
  ctx: S3StoreContext,
  request: PublishRequest,
  segments: readonly Segment[],
): Promise<void> {
  const { target } = request;
  const plan = planAssembly(segments, {
    minPartBytes: ctx.tuning.minPartBytes,
    streamPartBytes: ctx.tuning.partBytes,
    maxPartBytes: ctx.tuning.maxSingleBytes,
    maxParts: 10_000,
  });
  const bucketKey = { Bucket: target.backendBucket, Key: target.key };
  try {
    const created = await ctx.client.send(
      new CreateMultipartUploadCommand({ ...bucketKey, ...request.headers }),
    );
    const uploadId = created.UploadId ?? '';
    try {
      const etags = await mapLimited(plan, ctx.tuning.concurrency, (part, index) =>
        uploadPlannedPart(ctx, target, uploadId, part, index + 1),
      );
      await request.beforePublish?.();
      if (request.forbidOverwrite) await assertStillAbsent(ctx, target);
      const parts = etags.map((ETag, index) => ({ PartNumber: index + 1, ETag }));
      await ctx.client.send(
        new CompleteMultipartUploadCommand({
          ...bucketKey,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
    } catch (error) {
      await abortQuietly(ctx, target.backendBucket, target.key, uploadId);
      throw error;
    }
  } catch (error) {
    throw publishError(request, error);
  }
}

/** Aborts a backend multipart upload; a failure is only reported (expiry removes what is left). */
export async function abortQuietly(
  ctx: S3StoreContext,
  backendBucket: string,
  key: string,
  uploadId: string,
): Promise<void> {
  try {
    await ctx.client.send(
      new AbortMultipartUploadCommand({ Bucket: backendBucket, Key: key, UploadId: uploadId }),
    );
  } catch (error) {
    ctx.warn('could not abort a backend multipart upload', { backendBucket, key, uploadId, err: error });
  }
}
