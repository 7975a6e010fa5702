// Interop with the official ali-oss client (node_modules/ali-oss 6.x): its own request builder
// (createRequest, the code path of every SDK call) and its URL signers produce the credentials; our
// verifier must accept them unchanged, and reject them once one signed byte changes. No network: the
// client object is only used to sign.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { verifyRequestSignature } from './verify-request-signature.js';
import { parseIsoBasicDateTime, parseRfc1123Date } from './request-time.js';
import type { SignedRequest, VerifyRequestDeps } from './verify-types.js';

interface AliOssClient {
  signatureUrl(name: string, options?: Record<string, unknown>): string;
  signatureUrlV4(
    method: string,
    expires: number,
    request?: { headers?: Record<string, string>; queries?: Record<string, string> },
    objectName?: string,
    additionalHeaders?: string[],
  ): Promise<string>;
}
type AliOssConstructor = new (options: Record<string, unknown>) => AliOssClient;
type CreateRequest = (
  this: AliOssClient,
  params: Record<string, unknown>,
) => { url: string; params: { method: string; headers: Record<string, unknown> } };

const require = createRequire(import.meta.url);
const OSS = require('ali-oss') as AliOssConstructor;
const { createRequest } = require('ali-oss/lib/common/utils/createRequest') as {
  createRequest: CreateRequest;
};

const bucket = 'upcall-bucket';
const secrets: Record<string, { secret: string; securityToken?: string }> = {
  LTAIinterop: { secret: 'interop-secret' },
  'STS.interop': { secret: 'sts-secret', securityToken: 'sts-token-value' },
};

function client(options: Record<string, unknown> = {}): AliOssClient {
  return new OSS({
    region: 'oss-cn-hangzhou',
    accessKeyId: 'LTAIinterop',
    accessKeySecret: 'interop-secret',
    bucket,
    ...options,
  });
}

const deps = (nowMs: number): VerifyRequestDeps => ({ lookupSecret: (ak) => secrets[ak], nowMs });

/** What the server sees: the URL's path and decoded query, lower-case header names, string values. */
function asServerRequest(method: string, url: string, headers: Record<string, unknown> = {}): SignedRequest {
  const parsed = new URL(url);
  const serverHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) serverHeaders[name.toLowerCase()] = String(value);
  const path = parsed.pathname.slice(1);
  return {
    method,
    bucket,
    key: path === '' ? undefined : decodeURIComponent(path),
    query: [...parsed.searchParams.entries()],
    headers: serverHeaders,
  };
}

function sign(c: AliOssClient, params: Record<string, unknown>): { request: SignedRequest; nowMs: number } {
  const built = createRequest.call(c, { bucket, ...params });
  const request = asServerRequest(built.params.method, built.url, built.params.headers);
  const date = String(request.headers['x-oss-date']);
  const nowMs = parseIsoBasicDateTime(date) ?? parseRfc1123Date(date) ?? NaN;
  return { request, nowMs };
}

function assertAcceptedThenTampered(request: SignedRequest, nowMs: number, scheme: string): void {
  const verdict = verifyRequestSignature(request, deps(nowMs));
  assert.ok(verdict.ok, verdict.ok ? '' : `${verdict.error.code} ${verdict.error.message}`);
  assert.equal(verdict.scheme, scheme);
  const tampered = verifyRequestSignature({ ...request, key: `${request.key ?? ''}x` }, deps(nowMs));
  assert.equal(tampered.ok ? 'accepted' : tampered.error.code, 'SignatureDoesNotMatch');
}

const putParams = {
  method: 'PUT',
  object: 'uploads/ünï cøde+name (1).txt',
  content: Buffer.from('hello'),
  headers: { 'x-oss-meta-owner': 'alice', 'Cache-Control': 'no-cache', 'x-oss-forbid-overwrite': 'true' },
};

describe('ali-oss interop: V1 Authorization header', () => {
  it('accepts a PutObject with Content-MD5, Content-Type and x-oss-meta headers', () => {
    const { request, nowMs } = sign(client(), putParams);
    assert.ok(request.headers['content-md5'] !== undefined && request.headers['content-type'] !== undefined);
    assertAcceptedThenTampered(request, nowMs, 'v1-header');
  });

  it('accepts multipart steps signed with sub-resources (uploads; partNumber + uploadId)', () => {
    const initiate = sign(client(), { method: 'POST', object: 'big.bin', subres: 'uploads' });
    assertAcceptedThenTampered(initiate.request, initiate.nowMs, 'v1-header');
    const part = sign(client(), {
      method: 'PUT',
      object: 'big.bin',
      subres: { partNumber: 3, uploadId: '0004B9895DBBB6EC98E' },
      content: Buffer.from('part'),
    });
    assertAcceptedThenTampered(part.request, part.nowMs, 'v1-header');
  });

  it('accepts an STS request carrying x-oss-security-token', () => {
    const sts = client({
      accessKeyId: 'STS.interop',
      accessKeySecret: 'sts-secret',
      stsToken: 'sts-token-value',
    });
    const { request, nowMs } = sign(sts, putParams);
    assertAcceptedThenTampered(request, nowMs, 'v1-header');
  });
});

describe('ali-oss interop: V4 Authorization header', () => {
  it('accepts a PutObject and an InitiateMultipartUpload signed with authorizationV4', () => {
    const c = client({ authorizationV4: true });
    const put = sign(c, {
      ...putParams,
      headers: { ...putParams.headers, 'X-Custom': ' v ' },
      additionalHeaders: ['X-Custom'],
    });
    assert.match(String(put.request.headers['authorization']), /AdditionalHeaders=x-custom,/);
    assertAcceptedThenTampered(put.request, put.nowMs, 'v4-header');
    const initiate = sign(c, { method: 'POST', object: 'big.bin', subres: 'uploads' });
    assertAcceptedThenTampered(initiate.request, initiate.nowMs, 'v4-header');
  });
});

describe('ali-oss interop: presigned URLs', () => {
  it('accepts signatureUrl (V1) with response overrides, process and callback sub-resources', () => {
    const url = client().signatureUrl('photos/cat 1.jpg', {
      method: 'PUT',
      expires: 600,
      'Content-Type': 'image/jpeg',
      response: { 'content-disposition': 'attachment; filename="cat.jpg"' },
      process: 'image/resize,w_100',
      callback: {
        url: 'http://127.0.0.1:3000/cb',
        body: 'bucket=${bucket}&object=${object}',
        customValue: { uid: '42' },
      },
    });
    const request = asServerRequest('PUT', url, { 'content-type': 'image/jpeg' });
    const expires = Number(request.query.find(([name]) => name === 'Expires')?.[1]);
    assertAcceptedThenTampered(request, (expires - 600) * 1000, 'v1-presigned');
  });

  it('accepts signatureUrlV4 with an additional header', async () => {
    const headers = { 'content-type': 'text/plain', 'x-oss-meta-a': '1', 'x-extra': 'yes' };
    const url = await client().signatureUrlV4('PUT', 300, { headers }, 'docs/readme.txt', ['x-extra']);
    const request = asServerRequest('PUT', url, headers);
    const date = request.query.find(([name]) => name === 'x-oss-date')?.[1] ?? '';
    assertAcceptedThenTampered(request, parseIsoBasicDateTime(date) ?? NaN, 'v4-presigned');
  });
});
