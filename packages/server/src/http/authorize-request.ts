// Auth dispatch for every operation except PostObject (architecture §3): ONE closed switch over the
// mechanism the request uses, defaulting to deny. Header and presigned V1/V4 are verified by
// @upcall/protocol's verifyRequestSignature (constant-time compare, one mechanism per request, §6, §7);
// anonymous requests are allowed only where the ACLs say so: an object's own ACL when it is not `default`,
// otherwise its bucket's (public-read → read, public-read-write → read and write).
import { OssError, parseRequestAuth, verifyRequestSignature, type SignedRequest } from '@upcall/protocol';
import type { BucketInfo } from '../store/object-store.js';
import type { RequestContext, RequestPrincipal, ServerDeps } from './request-context.js';
import type { AnonymousAccess, Route } from './route-request.js';

export const bucketAclDeniedMessage = 'You have no right to access this object because of bucket acl.';
export const objectAclDeniedMessage = 'You have no right to access this object because of object acl.';

type Acl = 'private' | 'public-read' | 'public-read-write';

/** A pure verdict: may an anonymous caller do `needed` under `acl`? */
export function checkAnonymousAcl(acl: Acl, needed: AnonymousAccess): boolean {
  switch (needed) {
    case 'read':
      return acl === 'public-read' || acl === 'public-read-write';
    case 'write':
      return acl === 'public-read-write';
    case 'never':
      return false;
  }
}

function toAcl(value: string): Acl | undefined {
  return value === 'private' || value === 'public-read' || value === 'public-read-write' ? value : undefined;
}

async function authorizeAnonymous(
  ctx: RequestContext,
  deps: ServerDeps,
  route: Route,
  bucket: BucketInfo | undefined,
): Promise<RequestPrincipal> {
  if (route.anonymous === 'never' || bucket === undefined) {
    throw new OssError('AccessDenied', { message: 'Anonymous access is forbidden for this operation.' });
  }
  if (ctx.key !== undefined) {
    const meta = await deps.store.head(bucket.name, ctx.key);
    const objectAcl = meta === undefined ? undefined : toAcl(meta.acl);
    if (objectAcl !== undefined) {
      if (checkAnonymousAcl(objectAcl, route.anonymous)) return { kind: 'anonymous' };
      throw new OssError('AccessDenied', { message: objectAclDeniedMessage });
    }
  }
  if (checkAnonymousAcl(bucket.acl, route.anonymous)) return { kind: 'anonymous' };
  throw new OssError('AccessDenied', { message: bucketAclDeniedMessage });
}

function verifySigned(ctx: RequestContext, deps: ServerDeps): RequestPrincipal {
  const request: SignedRequest = {
    method: ctx.req.method ?? '',
    bucket: ctx.bucket,
    key: ctx.key,
    query: ctx.query,
    headers: ctx.req.headers,
  };
  const result = verifyRequestSignature(request, { lookupSecret: deps.lookupSecret, nowMs: deps.now() });
  if (!result.ok) throw result.error;
  switch (result.scheme) {
    case 'v1-header':
    case 'v4-header':
    case 'v1-presigned':
    case 'v4-presigned':
      return { kind: 'signed', accessKeyId: result.accessKeyId, scheme: result.scheme };
    default:
      throw new OssError('AccessDenied');
  }
}

/**
 * Authenticates and authorizes `ctx` for `route`; throws OssError (AccessDenied, SignatureDoesNotMatch,
 * InvalidAccessKeyId, RequestTimeTooSkewed, InvalidArgument …) otherwise.
 */
export async function authorizeRequest(
  ctx: RequestContext,
  deps: ServerDeps,
  route: Route,
  bucket: BucketInfo | undefined,
): Promise<RequestPrincipal> {
  const auth = parseRequestAuth({ query: ctx.query, headers: ctx.req.headers });
  switch (auth.kind) {
    case 'anonymous':
      return authorizeAnonymous(ctx, deps, route, bucket);
    case 'header':
    case 'presigned':
      return verifySigned(ctx, deps);
    default:
      throw new OssError('AccessDenied');
  }
}
