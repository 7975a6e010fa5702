// Signed OSS requests for the reliability harnesses, over real HTTP to 127.0.0.1 with one connection per
// request (agent: false), so a SIGKILLed server fails exactly the requests it had in flight. Bodies come
// back as bytes. PutObject/Get/Head/List use V1 header auth (oss-protocol §6.1, protocol's signer);
// PostObject signs its policy V1 or V4 like an application server would (the server's form helpers).
import { request, type IncomingHttpHeaders } from 'node:http';
import { XMLParser } from 'fast-xml-parser';
import { signRequestV1Header } from '@upcall/protocol';
import {
  buildFormParts,
  buildMultipartBody,
} from '../../../packages/server/src/operations/post-object/testing/build-multipart-body.js';
import { signPolicyFields } from '../../../packages/server/src/operations/post-object/testing/post-form-client.js';

export interface OssTarget {
  readonly port: number;
  readonly bucket: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface SignedRequest {
  readonly method: string;
  readonly key?: string;
  readonly query?: ReadonlyArray<readonly [string, string]>;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer;
  readonly timeoutMs?: number;
}

const encodeKey = (key: string): string => key.split('/').map(encodeURIComponent).join('/');

function buildPath(bucket: string, key: string | undefined, query: SignedRequest['query'] = []): string {
  const search = query.map(([n, v]) =>
    v === '' ? encodeURIComponent(n) : `${encodeURIComponent(n)}=${encodeURIComponent(v)}`,
  );
  return `/${bucket}/${key === undefined ? '' : encodeKey(key)}${search.length > 0 ? `?${search.join('&')}` : ''}`;
}

/** One HTTP exchange; rejects on connection errors and after `timeoutMs` (default 30 s) without an answer. */
export function sendHttp(
  port: number,
  options: {
    method: string;
    path: string;
    headers: Record<string, string>;
    body?: Buffer;
    timeoutMs?: number;
  },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method,
        path: options.path,
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.setTimeout(options.timeoutMs ?? 30_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(options.body);
  });
}

export function sendSigned(target: OssTarget, input: SignedRequest): Promise<RawResponse> {
  const headers: Record<string, string> = { ...input.headers };
  if (input.body !== undefined) headers['content-length'] = String(input.body.length);
  const signed = signRequestV1Header({
    method: input.method,
    bucket: target.bucket,
    key: input.key,
    query: input.query?.map(([n, v]): [string, string] => [n, v]),
    headers,
    accessKeyId: target.accessKeyId,
    secret: target.accessKeySecret,
    nowMs: Date.now(),
  }).headers as Record<string, string>;
  return sendHttp(target.port, {
    method: input.method,
    path: buildPath(target.bucket, input.key, input.query),
    headers: signed,
    ...(input.body === undefined ? {} : { body: input.body }),
    ...(input.timeoutMs === undefined ? {} : { timeoutMs: input.timeoutMs }),
  });
}

export function putObject(target: OssTarget, key: string, body: Buffer): Promise<RawResponse> {
  return sendSigned(target, {
    method: 'PUT',
    key,
    headers: { 'content-type': 'application/octet-stream' },
    body,
  });
}

export function getObject(target: OssTarget, key: string): Promise<RawResponse> {
  return sendSigned(target, { method: 'GET', key });
}

export function headObject(target: OssTarget, key: string): Promise<RawResponse> {
  return sendSigned(target, { method: 'HEAD', key });
}

/** A PostObject form signed for exactly this key (policy V1 or V4), success_action_status 200. */
export function buildPostForm(
  target: OssTarget,
  key: string,
  body: Buffer,
  version: 'v1' | 'v4',
): { body: Buffer; contentType: string } {
  const auth = signPolicyFields({
    version,
    accessKeyId: target.accessKeyId,
    secret: target.accessKeySecret,
    nowMs: Date.now(),
    conditions: [{ bucket: target.bucket }, ['eq', '$key', key]],
  });
  const fields: Array<readonly [string, string]> = [['key', key], ...auth, ['success_action_status', '200']];
  return buildMultipartBody(
    buildFormParts(fields, { content: body, contentType: 'application/octet-stream' }),
  );
}

export function postObject(
  target: OssTarget,
  key: string,
  body: Buffer,
  version: 'v1' | 'v4' = 'v1',
): Promise<RawResponse> {
  const form = buildPostForm(target, key, body, version);
  return sendHttp(target.port, {
    method: 'POST',
    path: `/${target.bucket}`,
    headers: { 'content-type': form.contentType, 'content-length': String(form.body.length) },
    body: form.body,
  });
}

export interface ListedObject {
  readonly key: string;
  readonly size: number;
  readonly etag: string;
}

const xml = new XMLParser({ isArray: (name) => name === 'Contents', parseTagValue: false });

/** Every object of the bucket, following `NextMarker` (ListObjects V1, 1 000 per page). */
export async function listAllObjects(target: OssTarget): Promise<ListedObject[]> {
  const objects: ListedObject[] = [];
  let marker = '';
  for (let page = 0; page < 10_000; page += 1) {
    const query: Array<[string, string]> = [['max-keys', '1000']];
    if (marker !== '') query.push(['marker', marker]);
    const res = await sendSigned(target, { method: 'GET', query });
    if (res.status !== 200)
      throw new Error(`ListObjects answered ${res.status}: ${res.body.toString('utf8')}`);
    const result = (xml.parse(res.body.toString('utf8')) as { ListBucketResult: ListBucketXml })
      .ListBucketResult;
    for (const item of result.Contents ?? []) {
      objects.push({ key: item.Key, size: Number(item.Size), etag: item.ETag });
    }
    if (result.IsTruncated !== 'true') return objects;
    marker = result.NextMarker ?? objects.at(-1)?.key ?? '';
  }
  throw new Error('ListObjects never ended');
}

interface ListBucketXml {
  readonly Contents?: ReadonlyArray<{ Key: string; Size: string; ETag: string }>;
  readonly IsTruncated?: string;
  readonly NextMarker?: string;
}

/** The `<Code>` of an OSS error document, or undefined. */
export function readErrorCode(res: RawResponse): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(res.body.toString('utf8'))?.[1];
}
