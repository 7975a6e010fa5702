// Shared by GetObject and HeadObject: applies checkPreconditions and answers 304 / 412 itself.
import { OssError } from '@upcall/protocol';
import type { RequestContext } from '../http/request-context.js';
import type { ObjectMeta } from '../store/object-store.js';
import { checkPreconditions } from './check-preconditions.js';
import { setValidatorHeaders } from './set-object-headers.js';

/** True when the response has been completed (304); throws PreconditionFailed (412). */
export function answerPreconditions(ctx: RequestContext, meta: ObjectMeta): boolean {
  const verdict = checkPreconditions(ctx.req.headers, meta);
  if (verdict === 'precondition-failed') throw new OssError('PreconditionFailed');
  if (verdict === 'proceed') return false;
  ctx.res.statusCode = 304;
  setValidatorHeaders(ctx.res, meta);
  ctx.res.end();
  return true;
}
