// Test support for S3ObjectStore against a real S3-compatible backend (Ceph RGW in CI, started by
// scripts/services/ceph-rgw-start.sh). The connection comes from S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY,
// S3_REGION and S3_FORCE_PATH_STYLE; without S3_ENDPOINT the suites are skipped with s3SkipReason. Every
// store gets its own random backend bucket prefix, and cleanup deletes every bucket with that prefix.
// Not a test file: production code never imports it.
import {
  AbortMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { createS3Client, type S3Connection } from './s3-client.js';

export const s3SkipReason =
  'S3_ENDPOINT is not set: start Ceph RGW with `set -a; eval "$(bash scripts/services/ceph-rgw-start.sh)"; ' +
  'set +a` (exports S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY, S3_REGION, S3_FORCE_PATH_STYLE) to run the S3 suites';

/** The backend named by the environment, or undefined (then skip with s3SkipReason). */
export function readS3TestConnection(env: NodeJS.ProcessEnv = process.env): S3Connection | undefined {
  const endpoint = env.S3_ENDPOINT;
  if (endpoint === undefined || endpoint === '') return undefined;
  return {
    endpoint,
    region: env.S3_REGION ?? 'us-east-1',
    accessKeyId: env.S3_ACCESS_KEY,
    secretAccessKey: env.S3_SECRET_KEY,
    forcePathStyle: (env.S3_FORCE_PATH_STYLE ?? 'true') !== 'false',
  };
}

/** A fresh backend bucket prefix, e.g. `ut3f9a0c1e-`: short, so prefixed OSS names stay under 63. */
export function newTestBucketPrefix(): string {
  return `ut${randomBytes(4).toString('hex')}-`;
}

async function emptyBucket(client: S3Client, bucket: string): Promise<void> {
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    const objects = (page.Contents ?? []).map((object) => ({ Key: object.Key }));
    if (objects.length > 0) {
      await client.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }),
      );
    }
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  for (const upload of uploads.Uploads ?? []) {
    await client.send(
      new AbortMultipartUploadCommand({ Bucket: bucket, Key: upload.Key, UploadId: upload.UploadId }),
    );
  }
}

/** Empties and deletes every backend bucket whose name starts with `prefix`. */
export async function deleteBackendBuckets(client: S3Client, prefix: string): Promise<void> {
  const listed = await client.send(new ListBucketsCommand({}));
  const names = (listed.Buckets ?? [])
    .map((bucket) => bucket.Name ?? '')
    .filter((name) => name.startsWith(prefix));
  for (const name of names) {
    await emptyBucket(client, name);
    await client.send(new DeleteBucketCommand({ Bucket: name }));
  }
}

/** A client for tests, or undefined when no backend is configured. */
export function createTestS3Client(): S3Client | undefined {
  const connection = readS3TestConnection();
  return connection === undefined ? undefined : createS3Client(connection);
}
