// ListBuckets (`GET /` on the service, OSS API "ListBuckets (GetService)"): the owner and every bucket
// with its creation date, location and endpoints; `prefix`, `marker` (exclusive) and `max-keys`
// (1–1000, default 100) page through them in name order.
import { OssError } from '@upcall/protocol';
import type { Operation } from '../../http/request-context.js';
import type { BucketInfo } from '../../store/object-store.js';
import { compareUtf8 } from '../../store/compare-utf8.js';
import { bucketOwner, readBucketEndpoints, type BucketEndpoints } from './bucket-endpoints.js';
import { sendXml, xmlDeclaration, xmlElement as el } from './send-xml.js';

export interface ListBucketsQuery {
  readonly prefix: string;
  readonly marker: string;
  readonly maxKeys: number;
  /** Whether any paging parameter was given (OSS echoes them only then). */
  readonly paged: boolean;
}

type Query = ReadonlyArray<readonly [string, string]>;

export function parseListBucketsQuery(query: Query): ListBucketsQuery {
  const read = (name: string) => query.find(([candidate]) => candidate === name)?.[1];
  const maxKeysText = read('max-keys') ?? '100';
  const maxKeys = /^\d{1,4}$/.test(maxKeysText) ? Number(maxKeysText) : NaN;
  if (!(maxKeys >= 1 && maxKeys <= 1000)) {
    throw new OssError('InvalidArgument', {
      extra: [
        ['ArgumentName', 'max-keys'],
        ['ArgumentValue', maxKeysText],
      ],
    });
  }
  const paged = ['prefix', 'marker', 'max-keys'].some((name) => read(name) !== undefined);
  return { prefix: read('prefix') ?? '', marker: read('marker') ?? '', maxKeys, paged };
}

function buildBucket(bucket: BucketInfo, endpoints: BucketEndpoints): string {
  return (
    '<Bucket>' +
    el('CreationDate', new Date(bucket.createdMs).toISOString()) +
    el('ExtranetEndpoint', endpoints.extranetEndpoint) +
    el('IntranetEndpoint', endpoints.intranetEndpoint) +
    el('Location', endpoints.location) +
    el('Name', bucket.name) +
    el('Region', endpoints.region) +
    el('StorageClass', 'Standard') +
    '</Bucket>'
  );
}

export function buildListBucketsXml(
  buckets: readonly BucketInfo[],
  q: ListBucketsQuery,
  endpoints: BucketEndpoints,
): string {
  const matching = buckets
    .filter((b) => b.name.startsWith(q.prefix) && compareUtf8(b.name, q.marker) > 0)
    .sort((a, b) => compareUtf8(a.name, b.name));
  const page = matching.slice(0, q.maxKeys);
  const isTruncated = matching.length > q.maxKeys;
  let xml = `${xmlDeclaration}<ListAllMyBucketsResult>`;
  if (q.paged) xml += el('Prefix', q.prefix) + el('Marker', q.marker) + el('MaxKeys', String(q.maxKeys));
  if (q.paged || isTruncated) xml += el('IsTruncated', String(isTruncated));
  if (isTruncated) xml += el('NextMarker', page.at(-1)?.name ?? '');
  xml += `<Owner>${el('ID', bucketOwner.id)}${el('DisplayName', bucketOwner.displayName)}</Owner>`;
  xml += `<Buckets>${page.map((bucket) => buildBucket(bucket, endpoints)).join('')}</Buckets>`;
  return `${xml}</ListAllMyBucketsResult>\n`;
}

export const listBuckets: Operation = async (ctx, deps) => {
  const q = parseListBucketsQuery(ctx.query);
  const buckets = await deps.store.listBuckets();
  sendXml(ctx.res, buildListBucketsXml(buckets, q, readBucketEndpoints(deps)));
};
