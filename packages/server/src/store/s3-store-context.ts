// What every part of S3ObjectStore shares: the SDK client, the clock, the bucket map, size thresholds,
// and a tracker of work in flight so close() can abort staged writes and wait for the rest.
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3BucketMap } from './s3-bucket-map.js';
import type { PartVersionClock } from './s3-part-keys.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export interface S3StoreTuning {
  /**
   * Bodies up to this size are buffered and published with one PutObject at commit; larger ones are
   * streamed to the backend in parts of this size. Also the target size of streamed assembly parts.
   * At least 5 MiB (S3's minimum part size). Memory per staged write ≤ partBytes × (queueSize + 1).
   */
  readonly partBytes: number;
  /** Backend part uploads in flight per staged write before the sink applies backpressure. */
  readonly queueSize: number;
  /** S3's minimum size of every part but the last (5 MiB on AWS, MinIO and Ceph). */
  readonly minPartBytes: number;
  /** Largest single PutObject, CopyObject and part (5 GiB on S3). */
  readonly maxSingleBytes: number;
  /** Backend requests in flight for one listing (HEAD per listed object) or one assembly. */
  readonly concurrency: number;
}

export const defaultS3StoreTuning: S3StoreTuning = {
  partBytes: 8 * MiB,
  queueSize: 2,
  minPartBytes: 5 * MiB,
  maxSingleBytes: 5 * GiB,
  concurrency: 16,
};

export interface S3StoreContext {
  readonly client: S3Client;
  readonly buckets: S3BucketMap;
  readonly now: () => number;
  readonly tuning: S3StoreTuning;
  readonly partVersions: PartVersionClock;
  /** Problems that do not fail the operation (debris left for expiry to remove). */
  readonly warn: (message: string, detail: Record<string, unknown>) => void;
}

/** Backend bucket and key of one object, plus the OSS bucket name for error messages. */
export interface S3Target {
  readonly ossBucket: string;
  readonly backendBucket: string;
  readonly key: string;
}

/** `bucket/key` for x-amz-copy-source, each key segment percent-encoded. */
export function copySource(backendBucket: string, key: string): string {
  return `${backendBucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** Runs `work` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failed) {
      const index = next;
      next += 1;
      try {
        results[index] = await work(items[index] as T, index);
      } catch (error) {
        failed = true; // start nothing new once the outcome is decided
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
