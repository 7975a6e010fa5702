// The ObjectLister reconcileUploads needs, over storage's ListObjects (GetBucket v1, oss-protocol §2):
// header-signed V4 GETs, `marker` paging, `encoding-type=url` so any key survives the XML round trip.
import { XMLParser } from 'fast-xml-parser';
import type { ListedObject, ObjectLister } from '@upcall/app-kit';
import { signRequestV4Header } from '@upcall/protocol';
import type { StorageConnection } from '../storage-connection.js';

export interface StorageListerOptions {
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
  /** Per ListObjects request (default 10 000 ms). */
  readonly timeoutMs?: number;
}

interface ListPage {
  readonly objects: ListedObject[];
  readonly nextMarker: string | undefined;
}

const pageSize = 1000;
const parser = new XMLParser({ parseTagValue: false, isArray: (name) => name === 'Contents' });

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** ListBucketResult → objects; throws with storage's error text on anything else. */
export function parseListPage(xml: string): ListPage {
  const doc = parser.parse(xml) as { ListBucketResult?: Record<string, unknown> };
  const result = doc.ListBucketResult;
  if (result === undefined)
    throw new Error(`ListObjects answered without ListBucketResult: ${xml.slice(0, 200)}`);
  const decode = text(result.EncodingType) === 'url' ? decodeURIComponent : (value: string) => value;
  const contents = (result.Contents ?? []) as Array<Record<string, unknown>>;
  const objects = contents.map((item) => ({
    key: decode(text(item.Key)),
    size: Number(text(item.Size)),
    etag: text(item.ETag),
    lastModifiedMs: Date.parse(text(item.LastModified)),
  }));
  const truncated = text(result.IsTruncated) === 'true';
  const last = objects.at(-1);
  const nextMarker = truncated ? decode(text(result.NextMarker)) || last?.key : undefined;
  return { objects, nextMarker };
}

async function fetchListPage(
  connection: StorageConnection,
  prefix: string,
  marker: string,
  options: StorageListerOptions,
): Promise<ListPage> {
  const query: Array<[string, string]> = [
    ['encoding-type', 'url'],
    ['marker', marker],
    ['max-keys', String(pageSize)],
    ['prefix', prefix],
  ];
  const signed = signRequestV4Header({
    method: 'GET',
    bucket: connection.bucket,
    query,
    region: connection.region,
    accessKeyId: connection.credentials.accessKeyId,
    secret: connection.credentials.accessKeySecret,
    nowMs: (options.now ?? Date.now)(),
  });
  const search = query.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&');
  const url = `${connection.endpoint.replace(/\/+$/, '')}/${connection.bucket}/?${search}`;
  const response = await (options.fetch ?? fetch)(url, {
    headers: signed.headers as Record<string, string>,
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  const body = await response.text();
  if (response.status !== 200)
    throw new Error(`ListObjects answered ${response.status}: ${body.slice(0, 300)}`);
  return parseListPage(body);
}

export function createStorageLister(
  connection: StorageConnection,
  options: StorageListerOptions = {},
): ObjectLister {
  return async function* listObjects(bucket, prefix) {
    if (bucket !== connection.bucket) throw new Error(`The demo lists only bucket ${connection.bucket}.`);
    let marker = '';
    for (;;) {
      const page = await fetchListPage(connection, prefix, marker, options);
      yield* page.objects;
      if (page.nextMarker === undefined) return;
      marker = page.nextMarker;
    }
  };
}
