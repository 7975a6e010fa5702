// Interop with the official ali-oss client (node_modules/ali-oss 6.x): its own request builder
// (createRequest, the code path of every SDK call) and its URL signers produce the credentials; our
// verifier must accept them unchanged, and reject them once one signed byte changes. No network: the
// client object is only used to sign.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  aliOssClient as client,
  asServerRequest,
  assertAcceptedThenTampered,
  signWithAliOss as sign,
} from './ali-oss-test-helpers.js';
import { parseIsoBasicDateTime } from './request-time.js';

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
