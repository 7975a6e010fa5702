// GetBucket (ListObjects, v1): prefix, marker, max-keys (1–1000, default 100), delimiter and
// encoding-type=url. Every echoed string goes through the one XML text encoder (threats §B10, §C8.67).
import { OssError, encodeXmlText } from '@upcall/protocol';
import type { Operation } from '../http/request-context.js';
import type { ObjectMeta, ObjectStore } from '../store/object-store.js';
import { compareUtf8 } from '../store/compare-utf8.js';
import { buildInvalidArgument, readQueryParam } from './read-query.js';
import { requireBucket } from './require-address.js';

export const defaultMaxKeys = 100;
export const maxMaxKeys = 1000;
/** Sorts after every character, so `<prefix>\u{10FFFF}` skips all keys under a common prefix. */
const afterAllChars = '\u{10FFFF}';

export interface ListQuery {
  readonly prefix: string;
  readonly marker: string;
  readonly delimiter: string;
  readonly maxKeys: number;
  readonly urlEncoded: boolean;
}

export type ListEntry = { readonly object: ObjectMeta } | { readonly commonPrefix: string };

export function parseListQuery(query: ReadonlyArray<readonly [string, string]>): ListQuery {
  if (readQueryParam(query, 'list-type') === '2') throw new OssError('NotImplemented');
  const maxKeysText = readQueryParam(query, 'max-keys') ?? String(defaultMaxKeys);
  const maxKeys = /^\d{1,4}$/.test(maxKeysText) ? Number(maxKeysText) : NaN;
  if (!(maxKeys >= 1 && maxKeys <= maxMaxKeys)) throw buildInvalidArgument('max-keys', maxKeysText);
  const encoding = readQueryParam(query, 'encoding-type');
  if (encoding !== undefined && encoding !== 'url') throw buildInvalidArgument('encoding-type', encoding);
  return {
    prefix: readQueryParam(query, 'prefix') ?? '',
    marker: readQueryParam(query, 'marker') ?? '',
    delimiter: readQueryParam(query, 'delimiter') ?? '',
    maxKeys,
    urlEncoded: encoding === 'url',
  };
}

function commonPrefixOf(key: string, q: ListQuery): string | undefined {
  if (q.delimiter === '') return undefined;
  const at = key.indexOf(q.delimiter, q.prefix.length);
  return at === -1 ? undefined : key.slice(0, at + q.delimiter.length);
}

/** Walks the store in key order, folding keys under a delimiter into common prefixes. */
export async function collectListing(
  store: ObjectStore,
  bucket: string,
  q: ListQuery,
): Promise<{ entries: ListEntry[]; isTruncated: boolean }> {
  const entries: ListEntry[] = [];
  let after = q.marker;
  for (;;) {
    const page = await store.list(bucket, { prefix: q.prefix, startAfter: after, maxKeys: maxMaxKeys });
    let skipped = false;
    for (const object of page.objects) {
      if (entries.length === q.maxKeys) return { entries, isTruncated: true };
      const commonPrefix = commonPrefixOf(object.key, q);
      if (commonPrefix === undefined) {
        entries.push({ object });
        after = object.key;
        continue;
      }
      if (compareUtf8(commonPrefix, q.marker) <= 0) {
        after = object.key;
        continue;
      }
      entries.push({ commonPrefix });
      after = commonPrefix + afterAllChars;
      skipped = true;
      break;
    }
    if (!skipped && !page.isTruncated) return { entries, isTruncated: false };
  }
}

function element(name: string, value: string): string {
  return `<${name}>${encodeXmlText(value)}</${name}>`;
}

/** One `<Contents>` entry, shared by ListObjects (always with Owner) and ListObjectsV2 (`fetch-owner`). */
export function buildContentsXml(
  meta: ObjectMeta,
  encode: (text: string) => string,
  withOwner = true,
): string {
  return (
    '<Contents>' +
    element('Key', encode(meta.key)) +
    element('LastModified', new Date(meta.lastModifiedMs).toISOString()) +
    element('ETag', meta.etag) +
    element('Type', 'Normal') +
    element('Size', String(meta.size)) +
    element('StorageClass', meta.storageClass === '' ? 'Standard' : meta.storageClass) +
    (withOwner ? '<Owner><ID>upcall</ID><DisplayName>upcall</DisplayName></Owner>' : '') +
    '</Contents>'
  );
}

export function buildListBucketResultXml(
  bucket: string,
  q: ListQuery,
  listing: { entries: ListEntry[]; isTruncated: boolean },
): string {
  const encode = q.urlEncoded ? encodeURIComponent : (text: string) => text;
  const last = listing.entries.at(-1);
  const nextMarker = last === undefined ? '' : 'object' in last ? last.object.key : last.commonPrefix;
  let xml = '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult>';
  xml += element('Name', bucket) + element('Prefix', encode(q.prefix)) + element('Marker', encode(q.marker));
  xml += element('MaxKeys', String(q.maxKeys)) + element('Delimiter', encode(q.delimiter));
  if (q.urlEncoded) xml += element('EncodingType', 'url');
  xml += element('IsTruncated', String(listing.isTruncated));
  if (listing.isTruncated) xml += element('NextMarker', encode(nextMarker));
  for (const entry of listing.entries) {
    xml +=
      'object' in entry
        ? buildContentsXml(entry.object, encode)
        : `<CommonPrefixes>${element('Prefix', encode(entry.commonPrefix))}</CommonPrefixes>`;
  }
  return `${xml}</ListBucketResult>\n`;
}

export const listObjects: Operation = async (ctx, deps) => {
  const bucket = requireBucket(ctx);
  const q = parseListQuery(ctx.query);
  const listing = await collectListing(deps.store, bucket, q);
  const xml = buildListBucketResultXml(bucket, q, listing);
  ctx.res.statusCode = 200;
  ctx.res.setHeader('Content-Type', 'application/xml');
  ctx.res.setHeader('Content-Length', Buffer.byteLength(xml));
  ctx.res.setHeader('X-Content-Type-Options', 'nosniff');
  ctx.res.end(xml);
};
