// DeleteObject: 204 whether or not the key existed (OSS and S3 semantics; the bucket's existence was
// checked by the HTTP core before authorization).
import type { Operation } from '../http/request-context.js';
import { requireObjectAddress } from './require-address.js';

export const deleteObject: Operation = async (ctx, deps) => {
  const { bucket, key } = requireObjectAddress(ctx);
  await deps.store.delete(bucket, key);
  ctx.res.statusCode = 204;
  ctx.res.end();
};
