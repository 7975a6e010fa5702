// The router only dispatches object operations for requests that name a bucket and a key; these guards
// turn that guarantee into types (a miss is a routing bug, hence InternalError).
import { OssError } from '@upcall/protocol';
import type { RequestContext } from '../http/request-context.js';

export function requireBucket(ctx: RequestContext): string {
  if (ctx.bucket === undefined) throw new OssError('InternalError', { message: 'No bucket resolved.' });
  return ctx.bucket;
}

export function requireObjectAddress(ctx: RequestContext): { bucket: string; key: string } {
  const bucket = requireBucket(ctx);
  if (ctx.key === undefined) throw new OssError('InternalError', { message: 'No object key resolved.' });
  return { bucket, key: ctx.key };
}

export function buildNoSuchKeyError(key: string): OssError {
  return new OssError('NoSuchKey', { extra: [['Key', key]] });
}
