// The bucket an admin operation addresses. The HTTP core checked its existence before authorization;
// a DeleteBucket in between still makes it a NoSuchBucket (404), never an internal error.
import { OssError } from '@upcall/protocol';
import type { RequestContext, ServerDeps } from '../../http/request-context.js';
import type { BucketInfo } from '../../store/object-store.js';
import { requireBucket } from '../require-address.js';

export async function readBucketInfo(ctx: RequestContext, deps: ServerDeps): Promise<BucketInfo> {
  const name = requireBucket(ctx);
  const bucket = await deps.store.getBucket(name);
  if (bucket === undefined) throw new OssError('NoSuchBucket', { extra: [['BucketName', name]] });
  return bucket;
}
