// GetObjectMeta (`HEAD /<key>?objectMeta`): the basic metadata only — ETag, Content-Length (the object's
// size) and Last-Modified — without the entity headers, user metadata or checksums HeadObject returns
// (OSS GetObjectMeta). x-oss-last-access-time is not sent: access times are not tracked here. Errors reach
// the client Base64-encoded in `x-oss-err` (http/send-error.ts, oss-protocol §10.1).
import type { Operation } from '../http/request-context.js';
import { buildNoSuchKeyError, requireObjectAddress } from './require-address.js';
import { setValidatorHeaders } from './set-object-headers.js';

export const getObjectMeta: Operation = async (ctx, deps) => {
  const { bucket, key } = requireObjectAddress(ctx);
  const meta = await deps.store.head(bucket, key);
  if (meta === undefined) throw buildNoSuchKeyError(key);
  ctx.res.statusCode = 200;
  setValidatorHeaders(ctx.res, meta);
  ctx.res.setHeader('Content-Length', String(meta.size));
  ctx.res.end();
};
