// InitiateMultipartUpload (`POST /<key>?uploads`): the eventual object's properties come from the headers,
// validated now like PutObject's (Content-Type or a guess from the key, Cache-Control & co., x-oss-meta-*,
// x-oss-object-acl, x-oss-storage-class, x-oss-server-side-encryption); then the store opens the upload
// and we answer its id. An existing object of the same key is not touched.
import { OssError } from '@upcall/protocol';
import type { Operation } from '../../http/request-context.js';
import { requireObjectAddress } from '../require-address.js';
import { readForbidOverwrite, readObjectMetaHeaders } from '../upload/read-object-meta-headers.js';
import { buildInitiateResultXml, sendXml } from './build-multipart-xml.js';
import { readUrlEncoding } from './read-multipart-query.js';

export const initiateMultipartUpload: Operation = async (ctx, deps) => {
  const { bucket, key } = requireObjectAddress(ctx);
  const urlEncoded = readUrlEncoding(ctx.query);
  const meta = readObjectMetaHeaders(ctx.req.headers, { bucket, key });
  // OSS accepts x-oss-forbid-overwrite here too: an existing key is answered now rather than after every
  // part has been uploaded. Complete checks again, atomically, with its own header (store contract).
  if (readForbidOverwrite(ctx.req.headers) && (await deps.store.head(bucket, key)) !== undefined) {
    throw new OssError('FileAlreadyExists');
  }
  const upload = await deps.store.multipart.initiate(meta);
  sendXml(ctx.res, buildInitiateResultXml(upload, urlEncoded));
};
