// Creating and deleting OSS buckets of S3ObjectStore: the backend bucket and its record together.
// Create adopts an existing backend bucket (operators usually create them beforehand) and is idempotent
// across instances starting at once. Delete follows OSS DeleteBucket: refused (BucketNotEmpty) while a
// visible object or an OSS multipart upload remains; the gateway's own debris is removed with it.
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  ListMultipartUploadsCommand,
} from '@aws-sdk/client-s3';
import { OssError } from '@upcall/protocol';
import type { BucketInfo } from './object-store.js';
import { toBucketInfo, type BucketRecord, type S3BucketRecords } from './s3-bucket-records.js';
import { asOssError, isNoSuchBucketError, isOwnBucketError, isBucketNotEmptyError } from './s3-errors.js';
import { hiddenPrefix, uploadRecordPrefix } from './s3-hidden-keys.js';
import { listAllKeys, listBackendKeys } from './s3-object-list.js';
import { mapLimited, type S3StoreContext } from './s3-store-context.js';
import { deleteKeys } from './s3-upload-records.js';

export async function createS3Bucket(
  ctx: S3StoreContext,
  records: S3BucketRecords,
  name: string,
  acl: BucketInfo['acl'],
): Promise<BucketInfo> {
  const backend = ctx.buckets.backendFor(name); // InvalidBucketName first, before any request
  return asOssError(name, async () => {
    const existing = await records.get(name, true);
    if (existing !== undefined) return toBucketInfo(existing);
    try {
      await ctx.client.send(new CreateBucketCommand({ Bucket: backend }));
    } catch (error) {
      if (!isOwnBucketError(error)) throw error;
    }
    return toBucketInfo(await records.createRecord(name, acl));
  });
}

function bucketNotEmpty(name: string): OssError {
  return new OssError('BucketNotEmpty', { extra: [['BucketName', name]] });
}

async function hasVisibleObject(ctx: S3StoreContext, backend: string): Promise<boolean> {
  const window = { prefix: '', startAfter: '', limit: 0, hidden: 'skip' } as const;
  return (await listBackendKeys(ctx, backend, window)).length > 0;
}

/** Deletes the gateway's keys (records, stray parts and staged bodies) and its backend uploads. */
async function removeGatewayState(ctx: S3StoreContext, backend: string): Promise<void> {
  const keys = await listAllKeys(ctx, backend, hiddenPrefix);
  await deleteKeys(
    ctx,
    backend,
    keys.map((listed) => listed.key),
  );
  const uploads = await ctx.client.send(new ListMultipartUploadsCommand({ Bucket: backend }));
  await mapLimited(uploads.Uploads ?? [], ctx.tuning.concurrency, (upload) =>
    ctx.client.send(
      new AbortMultipartUploadCommand({ Bucket: backend, Key: upload.Key, UploadId: upload.UploadId }),
    ),
  );
}

async function deleteWithRecord(
  ctx: S3StoreContext,
  records: S3BucketRecords,
  record: BucketRecord,
  backend: string,
): Promise<boolean> {
  await removeGatewayState(ctx, backend);
  try {
    await ctx.client.send(new DeleteBucketCommand({ Bucket: backend }));
    return true;
  } catch (error) {
    if (isNoSuchBucketError(error)) return false;
    if (!isBucketNotEmptyError(error)) throw error;
    // A write landed between the check and the delete: the bucket stays, with its record back.
    await records.update(record);
    throw bucketNotEmpty(record.name);
  }
}

export async function deleteS3Bucket(
  ctx: S3StoreContext,
  records: S3BucketRecords,
  name: string,
): Promise<boolean> {
  return asOssError(name, async () => {
    const record = await records.get(name, true);
    if (record === undefined) return false;
    const backend = ctx.buckets.backendFor(name);
    if (await hasVisibleObject(ctx, backend)) throw bucketNotEmpty(name);
    const uploads = await listBackendKeys(ctx, backend, {
      prefix: uploadRecordPrefix,
      startAfter: '',
      limit: 0,
      hidden: 'keep',
    });
    if (uploads.length > 0) throw bucketNotEmpty(name);
    try {
      return await deleteWithRecord(ctx, records, record, backend);
    } finally {
      records.forget(name);
    }
  });
}
