// ListObjectsV2 (`GET /?list-type=2`, OSS API): prefix, delimiter, start-after, continuation-token,
// max-keys (1–1000, default 100), fetch-owner, encoding-type=url, KeyCount. The walk is ListObjects v1's
// (list-objects.ts collectListing); only the paging vocabulary differs. The continuation token is opaque
// to clients: Base64url of the last key (or common prefix) returned, so the next page starts strictly
// after it — a token supersedes start-after, as in OSS/S3. Every echoed string goes through the XML text
// encoder (threats §B10, §C8.67).
import { encodeXmlText } from '@upcall/protocol';
import type { Operation } from '../http/request-context.js';
import {
  buildContentsXml,
  collectListing,
  defaultMaxKeys,
  maxMaxKeys,
  type ListEntry,
} from './list-objects.js';
import { buildInvalidArgument, readQueryParam } from './read-query.js';
import { requireBucket } from './require-address.js';

export interface ListV2Query {
  readonly prefix: string;
  readonly delimiter: string;
  readonly startAfter: string;
  readonly continuationToken: string | undefined;
  readonly maxKeys: number;
  readonly fetchOwner: boolean;
  readonly urlEncoded: boolean;
}

type Query = ReadonlyArray<readonly [string, string]>;

export function encodeContinuationToken(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

/** The key a token stands for; InvalidArgument unless it is one this server issued (canonical form). */
export function decodeContinuationToken(token: string): string {
  const key = Buffer.from(token, 'base64url').toString('utf8');
  if (token === '' || encodeContinuationToken(key) !== token)
    throw buildInvalidArgument('continuation-token', token);
  return key;
}

function readBoolean(query: Query, name: string): boolean {
  const value = readQueryParam(query, name);
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw buildInvalidArgument(name, value);
}

export function parseListV2Query(query: Query): ListV2Query {
  const maxKeysText = readQueryParam(query, 'max-keys') ?? String(defaultMaxKeys);
  const maxKeys = /^\d{1,4}$/.test(maxKeysText) ? Number(maxKeysText) : NaN;
  if (!(maxKeys >= 1 && maxKeys <= maxMaxKeys)) throw buildInvalidArgument('max-keys', maxKeysText);
  const encoding = readQueryParam(query, 'encoding-type');
  if (encoding !== undefined && encoding !== 'url') throw buildInvalidArgument('encoding-type', encoding);
  const token = readQueryParam(query, 'continuation-token');
  if (token !== undefined) decodeContinuationToken(token);
  return {
    prefix: readQueryParam(query, 'prefix') ?? '',
    delimiter: readQueryParam(query, 'delimiter') ?? '',
    startAfter: readQueryParam(query, 'start-after') ?? '',
    continuationToken: token,
    maxKeys,
    fetchOwner: readBoolean(query, 'fetch-owner'),
    urlEncoded: encoding === 'url',
  };
}

function element(name: string, value: string): string {
  return `<${name}>${encodeXmlText(value)}</${name}>`;
}

function buildHeader(bucket: string, q: ListV2Query, encode: (text: string) => string): string {
  let xml = element('Name', bucket) + element('Prefix', encode(q.prefix));
  if (q.startAfter !== '') xml += element('StartAfter', encode(q.startAfter));
  if (q.continuationToken !== undefined) xml += element('ContinuationToken', q.continuationToken);
  xml += element('MaxKeys', String(q.maxKeys)) + element('Delimiter', encode(q.delimiter));
  if (q.urlEncoded) xml += element('EncodingType', 'url');
  return xml;
}

export function buildListV2ResultXml(
  bucket: string,
  q: ListV2Query,
  listing: { entries: ListEntry[]; isTruncated: boolean },
): string {
  const encode = q.urlEncoded ? encodeURIComponent : (text: string) => text;
  const last = listing.entries.at(-1);
  let xml = '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult>' + buildHeader(bucket, q, encode);
  xml += element('IsTruncated', String(listing.isTruncated));
  if (listing.isTruncated && last !== undefined) {
    const lastKey = 'object' in last ? last.object.key : last.commonPrefix;
    xml += element('NextContinuationToken', encodeContinuationToken(lastKey));
  }
  xml += element('KeyCount', String(listing.entries.length));
  for (const entry of listing.entries) {
    xml +=
      'object' in entry
        ? buildContentsXml(entry.object, encode, q.fetchOwner)
        : `<CommonPrefixes>${element('Prefix', encode(entry.commonPrefix))}</CommonPrefixes>`;
  }
  return `${xml}</ListBucketResult>\n`;
}

export const listObjectsV2: Operation = async (ctx, deps) => {
  const bucket = requireBucket(ctx);
  const q = parseListV2Query(ctx.query);
  const marker =
    q.continuationToken === undefined ? q.startAfter : decodeContinuationToken(q.continuationToken);
  const listing = await collectListing(deps.store, bucket, {
    prefix: q.prefix,
    marker,
    delimiter: q.delimiter,
    maxKeys: q.maxKeys,
    urlEncoded: q.urlEncoded,
  });
  const xml = buildListV2ResultXml(bucket, q, listing);
  ctx.res.statusCode = 200;
  ctx.res.setHeader('Content-Type', 'application/xml');
  ctx.res.setHeader('Content-Length', Buffer.byteLength(xml));
  ctx.res.setHeader('X-Content-Type-Options', 'nosniff');
  ctx.res.end(xml);
};
