// UploadPart (`PUT /<key>?partNumber=N&uploadId=ID`): the body streams through the shared single-request
// upload path (limit-and-hash: MD5 + CRC-64 as it flows, the 5 GiB part cap on the running count) into a
// staged part, committed only after the Content-MD5 check; any failure aborts the staged part. A retried
// part number replaces the earlier part (the store's commit); parts may arrive in any order.
import { OssError } from '@upcall/protocol';
import type { Operation } from '../../http/request-context.js';
import { defaultPostFormLimits } from '../post-object/post-form-limits.js';
import { requireObjectAddress } from '../require-address.js';
import { checkUploadLength } from '../upload/check-upload-length.js';
import { objectHeaderNames } from '../upload/object-header-names.js';
import { readContentMd5 } from '../upload/read-content-md5.js';
import { streamIntoStaged } from '../upload/stream-into-staged.js';
import { readPartNumber, readUploadId } from './read-multipart-query.js';

/** OSS: a part is at most 5 GiB (UploadPart). */
export const maxPartBytes = 5 * 1024 ** 3;

export const uploadPart: Operation = async (ctx, deps) => {
  const { bucket, key } = requireObjectAddress(ctx);
  // UploadPartCopy is the same request line plus x-oss-copy-source and no body: storing an empty part
  // for it would be silently wrong.
  if (ctx.req.headers[objectHeaderNames.copySource] !== undefined) {
    throw new OssError('NotImplemented', { message: 'UploadPartCopy is not supported by this server.' });
  }
  const partNumber = readPartNumber(ctx.query);
  const uploadId = readUploadId(ctx.query);
  const maxBytes = Math.min(maxPartBytes, deps.config.maxObjectBytes);
  checkUploadLength(ctx.req.headers, maxBytes);
  const expectedContentMd5 = readContentMd5(ctx.req.headers);
  const pending = await deps.store.multipart.beginPart(bucket, key, uploadId, partNumber);
  const { committed: part, digest } = await streamIntoStaged({
    body: ctx.req,
    staged: pending,
    maxBytes,
    keepHeadBytes: 0,
    highWaterMarkBytes: defaultPostFormLimits.streamHighWaterMarkBytes,
    expectedContentMd5,
    commit: (checksums) => pending.commit(checksums),
    log: ctx.log,
  });
  ctx.res.statusCode = 200;
  ctx.res.setHeader('ETag', part.etag);
  ctx.res.setHeader('x-oss-hash-crc64ecma', part.crc64);
  ctx.res.setHeader('Content-MD5', digest.contentMd5);
  ctx.res.setHeader('Content-Length', '0');
  ctx.res.end();
};
