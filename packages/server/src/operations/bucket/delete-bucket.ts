// DeleteBucket (`DELETE /` on a bucket, OSS API): only an empty bucket — no objects and no multipart
// uploads in progress — can be deleted; otherwise 409 BucketNotEmpty (the store decides atomically).
// 204 on success. A configured bucket (`--bucket`) is created again at the next start.
import { OssError } from '@upcall/protocol';
import type { Operation } from '../../http/request-context.js';
import { requireBucket } from '../require-address.js';
import { sendEmpty } from './send-xml.js';

export const deleteBucket: Operation = async (ctx, deps) => {
  const name = requireBucket(ctx);
  if (!(await deps.store.deleteBucket(name))) {
    throw new OssError('NoSuchBucket', { extra: [['BucketName', name]] });
  }
  sendEmpty(ctx.res, 204);
};
