// AbortMultipartUpload (`DELETE /<key>?uploadId=ID`): removes the upload and every part it holds; 204.
// Unlike DeleteObject, a missing upload is an error (NoSuchUpload 404), as in OSS.
import type { Operation } from '../../http/request-context.js';
import { noSuchUpload } from '../../store/store-errors.js';
import { requireObjectAddress } from '../require-address.js';
import { readUploadId } from './read-multipart-query.js';

export const abortMultipartUpload: Operation = async (ctx, deps) => {
  const { bucket, key } = requireObjectAddress(ctx);
  const uploadId = readUploadId(ctx.query);
  if (!(await deps.store.multipart.abort(bucket, key, uploadId))) throw noSuchUpload(uploadId);
  ctx.res.statusCode = 204;
  ctx.res.setHeader('Content-Length', '0');
  ctx.res.end();
};
