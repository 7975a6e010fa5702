// ListParts (`GET /<key>?uploadId=ID`): the upload's committed parts in part-number order after
// `part-number-marker`, at most `max-parts` (1–1000, default 1000), with NextPartNumberMarker and
// IsTruncated for paging; keys URL-encoded under encoding-type=url.
import type { Operation } from '../../http/request-context.js';
import { maxPartNumber } from '../../store/multipart-store.js';
import { requireObjectAddress } from '../require-address.js';
import { buildListPartsXml } from './build-list-xml.js';
import { sendXml } from './build-multipart-xml.js';
import { readOptionalInteger, readUploadId, readUrlEncoding } from './read-multipart-query.js';

export const maxListParts = 1000;

export const listParts: Operation = async (ctx, deps) => {
  const { bucket, key } = requireObjectAddress(ctx);
  const uploadId = readUploadId(ctx.query);
  const maxParts = readOptionalInteger(ctx.query, 'max-parts', {
    min: 1,
    max: maxListParts,
    fallback: maxListParts,
  });
  const partNumberMarker = readOptionalInteger(ctx.query, 'part-number-marker', {
    min: 0,
    max: maxPartNumber,
    fallback: 0,
  });
  const urlEncoded = readUrlEncoding(ctx.query);
  const page = await deps.store.multipart.listParts(bucket, key, uploadId, { partNumberMarker, maxParts });
  const xml = buildListPartsXml({ bucket, key, uploadId, partNumberMarker, maxParts, urlEncoded, ...page });
  sendXml(ctx.res, xml);
};
