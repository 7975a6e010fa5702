// CopyObject: `PUT /<key>` with `x-oss-copy-source: /<bucket>/<url-encoded key>`. The source is read
// from the store and streamed through limit-and-hash into a staged object (the same path as PutObject),
// so a copy is atomic and never buffered. Metadata follows `x-oss-metadata-directive`: COPY (default)
// keeps the source's Content-Type, entity headers and user metadata; REPLACE takes them from this
// request. The destination's ACL and storage class come from this request (OSS defaults: `default`,
// Standard). `x-oss-copy-source-if-*` are evaluated like GET's conditionals against the version read:
// 412 PreconditionFailed, or 304 for the if-none-match / if-modified-since cases.
import type { IncomingHttpHeaders } from 'node:http';
import { OssError, encodeXmlText } from '@upcall/protocol';
import { checkAnonymousAccess } from './check-anonymous-access.js';
import type { Operation, RequestContext, ServerDeps } from '../http/request-context.js';
import type { NewObjectMeta, ObjectMeta, PendingObject } from '../store/object-store.js';
import { checkPreconditions } from './check-preconditions.js';
import { buildNoSuchKeyError, requireObjectAddress } from './require-address.js';
import { copySourceConditionHeaders as c, objectHeaderNames as h } from './upload/object-header-names.js';
import { parseCopySource, type CopySource } from './upload/parse-copy-source.js';
import {
  readForbidOverwrite,
  readHeader,
  readObjectAcl,
  readObjectMetaHeaders,
  readStorageClass,
} from './upload/read-object-meta-headers.js';
import { streamIntoStaged } from './upload/stream-into-staged.js';

type MetadataDirective = 'COPY' | 'REPLACE';

function readMetadataDirective(headers: IncomingHttpHeaders): MetadataDirective {
  const value = readHeader(headers, h.metadataDirective) ?? 'COPY';
  if (value === 'COPY' || value === 'REPLACE') return value;
  throw new OssError('InvalidArgument', {
    message: 'The x-oss-metadata-directive must be COPY or REPLACE.',
    extra: [
      ['ArgumentName', h.metadataDirective],
      ['ArgumentValue', value],
    ],
  });
}

/** The requester must be allowed to read the source: signed requests are (one account); anonymous by ACL. */
async function authorizeSource(ctx: RequestContext, deps: ServerDeps, source: CopySource): Promise<void> {
  const bucket = await deps.store.getBucket(source.bucket);
  if (bucket === undefined) throw new OssError('NoSuchBucket', { extra: [['BucketName', source.bucket]] });
  if (ctx.principal?.kind !== 'signed') await checkAnonymousAccess(deps, bucket, source.key, 'read');
}

function buildCopyMeta(
  headers: IncomingHttpHeaders,
  directive: MetadataDirective,
  source: ObjectMeta,
  target: { bucket: string; key: string },
): NewObjectMeta {
  if (directive === 'REPLACE') return readObjectMetaHeaders(headers, target);
  return {
    ...target,
    contentType: source.contentType,
    headers: source.headers,
    userMeta: source.userMeta,
    acl: readObjectAcl(headers),
    storageClass: readStorageClass(headers),
  };
}

/** `x-oss-copy-source-if-*` read as the plain conditionals they mirror. */
function readSourceConditions(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const mapped: IncomingHttpHeaders = {};
  const pairs = [
    ['if-match', c.ifMatch],
    ['if-none-match', c.ifNoneMatch],
    ['if-modified-since', c.ifModifiedSince],
    ['if-unmodified-since', c.ifUnmodifiedSince],
  ] as const;
  for (const [plain, copy] of pairs) {
    const value = readHeader(headers, copy);
    if (value !== undefined) mapped[plain] = value;
  }
  return mapped;
}

function sendCopyResult(ctx: RequestContext, meta: ObjectMeta): void {
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>\n<CopyObjectResult>' +
    `<ETag>${encodeXmlText(meta.etag)}</ETag>` +
    `<LastModified>${new Date(meta.lastModifiedMs).toISOString()}</LastModified>` +
    '</CopyObjectResult>\n';
  ctx.res.statusCode = 200;
  ctx.res.setHeader('ETag', meta.etag);
  ctx.res.setHeader('x-oss-hash-crc64ecma', meta.crc64);
  ctx.res.setHeader('Content-Type', 'application/xml');
  ctx.res.setHeader('X-Content-Type-Options', 'nosniff');
  ctx.res.setHeader('Content-Length', Buffer.byteLength(xml));
  ctx.res.end(xml);
}

export const copyObject: Operation = async (ctx, deps) => {
  const target = requireObjectAddress(ctx);
  const { headers } = ctx.req;
  const source = parseCopySource(readHeader(headers, h.copySource) ?? '');
  const directive = readMetadataDirective(headers);
  const forbidOverwrite = readForbidOverwrite(headers);
  await authorizeSource(ctx, deps, source);
  if (forbidOverwrite && (await deps.store.head(target.bucket, target.key)) !== undefined) {
    throw new OssError('FileAlreadyExists');
  }
  const found = await deps.store.read(source.bucket, source.key);
  if (found === undefined) throw buildNoSuchKeyError(source.key);
  const verdict = checkPreconditions(readSourceConditions(headers), found.meta);
  if (verdict !== 'proceed') {
    found.body.destroy();
    if (verdict === 'precondition-failed') throw new OssError('PreconditionFailed');
    ctx.res.statusCode = 304;
    return void ctx.res.end();
  }
  let pending: PendingObject;
  try {
    pending = await deps.store.beginPut(buildCopyMeta(headers, directive, found.meta, target));
  } catch (error) {
    found.body.destroy();
    throw error;
  }
  const stored = await streamIntoStaged({
    body: found.body,
    staged: pending,
    maxBytes: deps.config.maxObjectBytes,
    keepHeadBytes: 0,
    expectedContentMd5: undefined,
    commit: (digest) => pending.commit(digest, { forbidOverwrite }),
    log: ctx.log,
  });
  sendCopyResult(ctx, stored.committed.meta);
};
