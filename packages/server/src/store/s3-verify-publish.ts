// HEAD after publishing (threats §C7 item 65): a backend that answers 200 to a PutObject, CopyObject or
// CompleteMultipartUpload but does not keep the object (a faulty proxy, a buggy or overloaded
// S3-compatible store) must not cost the uploader a 200 and the application a callback for an object
// that does not exist. So the publish is confirmed by reading the object's size and the gateway's own
// metadata back (`x-amz-meta-upcall`, which carries this version's ETag, checksums and commit time;
// an OSS part has none, but a key of its own per version, so its size is checked).
// Another writer may have replaced the object between our publish and the HEAD (last writer wins,
// threats §C4 item 39). The backend orders writers by when their publish request completes, not by
// the commit time each gateway stamped just before sending it, so a concurrent writer's version may
// carry an earlier stamp than ours and still have landed after ours (20 concurrent writers to one key
// in the contract suite do exactly that). So any other version stamped no earlier than
// concurrentPublishWindowMs before ours counts as "published, then replaced" and the publish stands; an
// older version (the one we should have replaced) or nothing means the backend dropped ours. The
// window is the one blind spot: a backend dropping our write while the previous version is younger than
// the window goes unnoticed. Costs one HEAD per upload (read-after-write is strongly consistent on Ceph
// RGW and on AWS S3).
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { OssError } from '@upcall/protocol';
import { isNotFoundError } from './s3-errors.js';
import { decodeObjectMeta, type S3ObjectHeaders } from './s3-meta-codec.js';
import type { S3StoreContext, S3Target } from './s3-store-context.js';

const gatewayMetaName = 'upcall';

/**
 * How long before our commit stamp a concurrent writer may have stamped its own and still be in flight:
 * twice the default backend request timeout (a staged publish may take a copy and a complete).
 */
export const concurrentPublishWindowMs = 60_000;

function commitTimeOf(target: S3Target, metadata: Record<string, string>): number {
  return decodeObjectMeta(target.ossBucket, target.key, { size: 0, metadata }).lastModifiedMs;
}

/** What the backend holds under the key: size and gateway metadata, or undefined when absent. */
async function headPublished(
  ctx: S3StoreContext,
  target: S3Target,
): Promise<{ size: number | undefined; gatewayMeta: string | undefined } | undefined> {
  try {
    const head = await ctx.client.send(
      new HeadObjectCommand({ Bucket: target.backendBucket, Key: target.key }),
    );
    return { size: head.ContentLength, gatewayMeta: head.Metadata?.[gatewayMetaName] };
  } catch (error) {
    if (isNotFoundError(error)) return undefined;
    throw error;
  }
}

/**
 * Throws InternalError unless the backend now holds the object just published (`headers`, `size`) or a
 * later version of it. A failing HEAD fails the publish too: it cannot be confirmed.
 */
export async function verifyPublished(
  ctx: S3StoreContext,
  target: S3Target,
  headers: S3ObjectHeaders,
  size: number,
): Promise<void> {
  const expected = headers.Metadata[gatewayMetaName];
  const found = await headPublished(ctx, target);
  // A part (no gateway metadata) lives under a key unique to its version: being there, whole, is enough.
  if (expected === undefined && found !== undefined && found.size === size) return;
  if (found !== undefined && found.gatewayMeta !== undefined && expected !== undefined) {
    if (found.gatewayMeta === expected && found.size === size) return;
    const ours = commitTimeOf(target, { [gatewayMetaName]: expected });
    const theirs = commitTimeOf(target, { [gatewayMetaName]: found.gatewayMeta });
    // Replaced by a writer that was in flight with us (or started after us).
    if (found.gatewayMeta !== expected && theirs >= ours - concurrentPublishWindowMs) return;
  }
  ctx.warn('the backend did not keep a published object', {
    backendBucket: target.backendBucket,
    key: target.key,
    expectedBytes: size,
    foundBytes: found?.size,
    found:
      found === undefined ? 'nothing' : found.gatewayMeta === expected ? 'wrong size' : 'another version',
  });
  throw new OssError('InternalError', { message: 'The storage backend did not keep the object.' });
}
