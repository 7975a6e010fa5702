// HeadObject (and GetObjectMeta, `HEAD ?objectMeta`): GetObject's headers without a body. Errors reach
// the client Base64-encoded in `x-oss-err` (http/send-error.ts, oss-protocol §10.1).
import type { Operation } from '../http/request-context.js';
import { answerPreconditions } from './answer-preconditions.js';
import { buildNoSuchKeyError, requireObjectAddress } from './require-address.js';
import { setObjectHeaders } from './set-object-headers.js';

export const headObject: Operation = async (ctx, deps) => {
  const { bucket, key } = requireObjectAddress(ctx);
  const meta = await deps.store.head(bucket, key);
  if (meta === undefined) throw buildNoSuchKeyError(key);
  if (answerPreconditions(ctx, meta)) return;
  ctx.res.statusCode = 200;
  // The same Content-Disposition GetObject would send (active-content.ts).
  setObjectHeaders(ctx.res, meta, undefined, [], deps.config.activeContentDisposition ?? 'attachment');
  ctx.res.end();
};
