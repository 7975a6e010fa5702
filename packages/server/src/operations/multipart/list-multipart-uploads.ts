// ListMultipartUploads (`GET /?uploads` on a bucket): in-progress uploads in (key, uploadId) byte order,
// `prefix`, optional `delimiter` (keys folded into CommonPrefixes, like ListObjects), `key-marker` +
// `upload-id-marker`, `max-uploads` (1–1000, default 1000), encoding-type=url.
import type { Operation } from '../../http/request-context.js';
import type { MultipartStore } from '../../store/multipart-store.js';
import { compareUtf8 } from '../../store/compare-utf8.js';
import { requireBucket } from '../require-address.js';
import { buildListUploadsXml, type UploadListEntry, type UploadListQuery } from './build-list-xml.js';
import { sendXml } from './build-multipart-xml.js';
import { readOptionalInteger, readQueryParam, readUrlEncoding } from './read-multipart-query.js';

export const maxListUploads = 1000;
/** Sorts after every character, so `<prefix>\u{10FFFF}` skips all keys under a common prefix. */
const afterAllChars = '\u{10FFFF}';

export function parseUploadListQuery(query: Parameters<typeof readQueryParam>[0]): UploadListQuery {
  return {
    prefix: readQueryParam(query, 'prefix') ?? '',
    delimiter: readQueryParam(query, 'delimiter') ?? '',
    keyMarker: readQueryParam(query, 'key-marker') ?? '',
    uploadIdMarker: readQueryParam(query, 'upload-id-marker') ?? '',
    maxUploads: readOptionalInteger(query, 'max-uploads', {
      min: 1,
      max: maxListUploads,
      fallback: maxListUploads,
    }),
    urlEncoded: readUrlEncoding(query),
  };
}

function commonPrefixOf(key: string, q: UploadListQuery): string | undefined {
  if (q.delimiter === '') return undefined;
  const at = key.indexOf(q.delimiter, q.prefix.length);
  return at === -1 ? undefined : key.slice(0, at + q.delimiter.length);
}

interface Markers {
  keyMarker?: string;
  uploadIdMarker?: string;
}

/** Walks the store's pages, folding keys under the delimiter into common prefixes. */
export async function collectUploads(
  store: MultipartStore,
  bucket: string,
  q: UploadListQuery,
): Promise<{ entries: UploadListEntry[]; isTruncated: boolean }> {
  const entries: UploadListEntry[] = [];
  let markers: Markers = q.keyMarker === '' ? {} : { keyMarker: q.keyMarker };
  if (q.keyMarker !== '' && q.uploadIdMarker !== '') markers.uploadIdMarker = q.uploadIdMarker;
  for (;;) {
    const page = await store.listUploads(bucket, {
      prefix: q.prefix,
      ...markers,
      maxUploads: maxListUploads,
    });
    let skipped = false;
    for (const upload of page.uploads) {
      if (entries.length === q.maxUploads) return { entries, isTruncated: true };
      const commonPrefix = commonPrefixOf(upload.key, q);
      if (commonPrefix === undefined) {
        entries.push({ upload });
        markers = { keyMarker: upload.key, uploadIdMarker: upload.uploadId };
        continue;
      }
      // A prefix at or before key-marker was returned by an earlier page: skip it without listing it.
      if (compareUtf8(commonPrefix, q.keyMarker) > 0) entries.push({ commonPrefix });
      markers = { keyMarker: commonPrefix + afterAllChars };
      skipped = true;
      break;
    }
    if (!skipped && !page.isTruncated) return { entries, isTruncated: false };
  }
}

export const listMultipartUploads: Operation = async (ctx, deps) => {
  const bucket = requireBucket(ctx);
  const q = parseUploadListQuery(ctx.query);
  const listing = await collectUploads(deps.store.multipart, bucket, q);
  sendXml(ctx.res, buildListUploadsXml(bucket, q, listing));
};
