// Expiry for S3ObjectStore (MultipartStore.expireUploads, run by start-multipart-expiry.ts on every
// instance: sweeps are idempotent, so several instances sweeping at once only repeat deletes). Besides
// OSS uploads initiated before the cut-off, it removes what a gateway instance that died mid-request
// leaves in the backend (docs/scale-out.md "When an instance dies"): parts and claims of uploads that no
// longer exist, staged bodies, and backend multipart uploads (staging or assembly) older than the cut-off.
import { AbortMultipartUploadCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import type { S3BucketRecords } from './s3-bucket-records.js';
import { claimPrefix, idTimeMs, partRoot, stagingPrefix } from './s3-hidden-keys.js';
import { listAllKeys, type ListedKey } from './s3-object-list.js';
import { mapLimited, type S3StoreContext } from './s3-store-context.js';
import { deleteKeys, deleteUpload, listUploadIds } from './s3-upload-records.js';

/** Milliseconds encoded in a part version (s3-part-keys.ts: 16 digits of ms × 1000 + counter). */
function partVersionMs(key: string): number {
  const version = /\/\d{5}\.(\d{16})[0-9a-f]{4}\./.exec(key)?.[1];
  return version === undefined ? NaN : Math.floor(Number(version) / 1000);
}

function uploadIdOf(key: string, prefix: string): string {
  return key.slice(prefix.length).split('/')[0] ?? '';
}

/** Parts, claims and staged bodies nobody can reach any more, older than the cut-off. */
async function sweepDebris(
  ctx: S3StoreContext,
  backend: string,
  live: ReadonlySet<string>,
  cutoffMs: number,
): Promise<void> {
  const orphan = (prefix: string, timeOf: (listed: ListedKey) => number) => (listed: ListedKey) =>
    !live.has(uploadIdOf(listed.key, prefix)) && timeOf(listed) < cutoffMs;
  const parts = (await listAllKeys(ctx, backend, partRoot)).filter(
    orphan(partRoot, (listed) => partVersionMs(listed.key)),
  );
  const claims = (await listAllKeys(ctx, backend, claimPrefix)).filter(
    orphan(claimPrefix, (listed) => idTimeMs(uploadIdOf(listed.key, claimPrefix))),
  );
  const staged = (await listAllKeys(ctx, backend, stagingPrefix)).filter(
    (listed) => idTimeMs(uploadIdOf(listed.key, stagingPrefix)) < cutoffMs,
  );
  await deleteKeys(
    ctx,
    backend,
    [...parts, ...claims, ...staged].map((listed) => listed.key),
  );
}

/** Backend multipart uploads (the gateway's staging and assembly uploads) initiated before the cut-off. */
async function abortStaleBackendUploads(
  ctx: S3StoreContext,
  backend: string,
  cutoffMs: number,
): Promise<void> {
  const listed = await ctx.client.send(new ListMultipartUploadsCommand({ Bucket: backend }));
  const stale = (listed.Uploads ?? []).filter(
    (upload) => (upload.Initiated?.getTime() ?? Infinity) < cutoffMs,
  );
  await mapLimited(stale, ctx.tuning.concurrency, (upload) =>
    ctx.client.send(
      new AbortMultipartUploadCommand({ Bucket: backend, Key: upload.Key, UploadId: upload.UploadId }),
    ),
  );
}

async function expireInBucket(ctx: S3StoreContext, backend: string, cutoffMs: number): Promise<number> {
  const ids = await listUploadIds(ctx, backend);
  const expired = ids.filter((id) => idTimeMs(id) < cutoffMs);
  await mapLimited(expired, 4, (id) => deleteUpload(ctx, backend, id));
  const live = new Set(ids.filter((id) => !expired.includes(id)));
  await sweepDebris(ctx, backend, live, cutoffMs);
  await abortStaleBackendUploads(ctx, backend, cutoffMs);
  return expired.length;
}

export async function expireS3Uploads(
  ctx: S3StoreContext,
  records: S3BucketRecords,
  initiatedBeforeMs: number,
): Promise<number> {
  let expired = 0;
  for (const record of await records.listAll()) {
    expired += await expireInBucket(ctx, ctx.buckets.backendFor(record.name), initiatedBeforeMs);
  }
  return expired;
}
