// Auth dispatch for every operation except PostObject (architecture §3): ONE closed switch over the
// mechanism the request uses, defaulting to deny. Header and presigned V1/V4 are verified by
// @upcall/protocol's verifyRequestSignature (constant-time compare, one mechanism per request — header and
// query auth together are InvalidArgument, §6.2 — x-oss-date / Date, AdditionalHeaders, STS tokens, §6, §7),
// then STS sessions are held to their RAM policies (docs/adr/0009-local-sts.md);
// anonymous requests are allowed only where the ACLs say so (operations/check-anonymous-access.ts).
import type { IncomingHttpHeaders } from 'node:http';
import { OssError, parseRequestAuth, verifyRequestSignature, type SignedRequest } from '@upcall/protocol';
import type { BucketInfo } from '../store/object-store.js';
import { checkAnonymousAccess } from '../operations/check-anonymous-access.js';
import type { RequestContext, RequestPrincipal, ServerDeps } from './request-context.js';
import type { Route } from './route-request.js';
import type { AccessKeyLookup } from '../sts/create-access-key-lookup.js';
import { checkStsAccess } from '../sts/check-sts-access.js';
import type { StsSession } from '../sts/sts-token.js';

export {
  bucketAclDeniedMessage,
  checkAnonymousAcl,
  objectAclDeniedMessage,
} from '../operations/check-anonymous-access.js';

async function authorizeAnonymous(
  ctx: RequestContext,
  deps: ServerDeps,
  route: Route,
  bucket: BucketInfo | undefined,
): Promise<RequestPrincipal> {
  if (route.anonymous === 'never' || bucket === undefined) {
    throw new OssError('AccessDenied', { message: 'Anonymous access is forbidden for this operation.' });
  }
  await checkAnonymousAccess(deps, bucket, ctx.key, route.anonymous);
  return { kind: 'anonymous' };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Signatures cover the header bytes as sent (§6.1: the string is signed as UTF-8). Node hands header
 * values over as latin1 code units, one per byte, and the verifier encodes strings as UTF-8 — so a value
 * holding non-ASCII bytes is re-read as the UTF-8 text those bytes spell (x-oss-meta-* with `Zoë`), making
 * the verifier's bytes the bytes on the wire. Bytes that are not UTF-8 are left as they are (and fail).
 */
export function decodeSignedHeaderValues(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const transcode = (value: string): string => {
    if (!/[\u0080-\u00ff]/.test(value)) return value;
    try {
      return utf8.decode(Buffer.from(value, 'latin1'));
    } catch {
      return value;
    }
  };
  // fromEntries: a header named `__proto__` stays a plain entry.
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.map(transcode) : value === undefined ? value : transcode(value),
    ]),
  );
}

/**
 * A signed request by temporary STS credentials is then held to its session's RAM policies for this
 * operation (sts/check-sts-access.ts, threats §A minio PR #11682: a valid signature proves only who
 * signed). The session is the one the lookup opened while verifying, so exactly the verified token counts.
 */
function verifySigned(ctx: RequestContext, deps: ServerDeps, route: Route): RequestPrincipal {
  const request: SignedRequest = {
    method: ctx.req.method ?? '',
    bucket: ctx.bucket,
    key: ctx.key,
    query: ctx.query,
    headers: decodeSignedHeaderValues(ctx.req.headers),
  };
  let session: StsSession | undefined;
  const lookupSecret: AccessKeyLookup = (accessKeyId, token) => {
    const found = deps.lookupSecret(accessKeyId, token);
    session = found?.session;
    return found;
  };
  const result = verifyRequestSignature(request, { lookupSecret, nowMs: deps.now() });
  if (!result.ok) throw result.error;
  if (session !== undefined) {
    const target = { operation: route.name, bucket: ctx.bucket, key: ctx.key, query: ctx.query };
    checkStsAccess(session, target, readCopySource(ctx.req.headers));
  }
  switch (result.scheme) {
    case 'v1-header':
    case 'v4-header':
    case 'v1-presigned':
    case 'v4-presigned':
      return {
        kind: 'signed',
        accessKeyId: result.accessKeyId,
        scheme: result.scheme,
        ...(session === undefined ? {} : { session }),
      };
    default:
      throw new OssError('AccessDenied');
  }
}

function readCopySource(headers: IncomingHttpHeaders): string | undefined {
  const value = headers['x-oss-copy-source'];
  return Array.isArray(value) ? value[0] : value;
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
      return verifySigned(ctx, deps, route);
    default:
      throw new OssError('AccessDenied');
  }
}
