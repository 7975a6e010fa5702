import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readUploadResponse } from './read-upload-response.js';
import { buildResponse } from './test-support/fake-transport.js';

const context = { attempts: 1, key: 'uploads/alice/cat.png', uploadId: 'u-1' };

// Shape of OSS's 203 (oss-protocol §9.6, G2 mock), as real OSS sends it.
const callbackFailedXml = `<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>CallbackFailed</Code>
  <Message>Response body is not valid json format.</Message>
  <RequestId>5C3D9175B6FC201293AD4890</RequestId>
  <HostId>examplebucket.oss-cn-hangzhou.aliyuncs.com</HostId>
  <EC>0007-00000205</EC>
  <RecommendDoc>https://api.aliyun.com/troubleshoot?q=0007-00000205</RecommendDoc>
</Error>
`;

const entityTooLargeXml = `<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>EntityTooLarge</Code>
  <Message>Your proposed upload exceeds the maximum allowed size.</Message>
  <RequestId>64B8E0C2A1F3D95C3E0B7A12</RequestId>
  <HostId>examplebucket.oss-cn-hangzhou.aliyuncs.com</HostId>
  <EC>0006-00000003</EC>
</Error>`;

describe('readUploadResponse', () => {
  it('relays the app server JSON of a 200 callback reply as the confirmed body', () => {
    const response = buildResponse(200, '{"status":"ok","upload":{"id":"u-1"}}', {
      'Content-Type': 'application/json',
      ETag: '"D8E8FCA2DC0F896FD7CB4CB0031BA249"',
      'x-oss-request-id': '55F6BF87207FB30F2640C548',
    });
    assert.deepEqual(readUploadResponse(response, context), {
      ...context,
      status: 'confirmed',
      httpStatus: 200,
      body: { status: 'ok', upload: { id: 'u-1' } },
      etag: 'D8E8FCA2DC0F896FD7CB4CB0031BA249',
      requestId: '55F6BF87207FB30F2640C548',
    });
  });

  it('confirms an empty 200 (success_action_status=200, no callback) with an undefined body', () => {
    const result = readUploadResponse(buildResponse(200, ''), context);
    assert.equal(result.status, 'confirmed');
    assert.equal(result.status === 'confirmed' && result.body, undefined);
  });

  it('keeps a non-JSON 200 reply as text instead of failing', () => {
    const result = readUploadResponse(
      buildResponse(200, '<ok/>', { 'content-type': 'application/xml' }),
      context,
    );
    assert.equal(result.status === 'confirmed' && result.body, '<ok/>');
  });

  it('reads ETag and the expanded key from a 201 PostResponse', () => {
    const xml =
      '<PostResponse><Bucket>b</Bucket><Location>https://b.oss-cn-hangzhou.aliyuncs.com/dir/a%26b.jpg</Location>' +
      '<Key>dir/a&amp;b.jpg</Key><ETag>"BFD0D4F895DA2960466C08D2629ABF35"</ETag></PostResponse>';
    const result = readUploadResponse(buildResponse(201, xml), { attempts: 1, key: 'dir/${filename}' });
    assert.deepEqual(result, {
      attempts: 1,
      key: 'dir/a&b.jpg',
      status: 'confirmed',
      httpStatus: 201,
      body: undefined,
      etag: 'BFD0D4F895DA2960466C08D2629ABF35',
    });
  });

  it('reads the ETag header of a 204 and omits headers CORS did not expose', () => {
    const exposed = readUploadResponse(buildResponse(204, '', { etag: '"ABC"' }), context);
    assert.equal(exposed.status === 'confirmed' && exposed.etag, 'ABC');
    const hidden = readUploadResponse(buildResponse(204), context);
    assert.equal('etag' in hidden || 'requestId' in hidden, false);
  });

  it('parses a 203 CallbackFailed document as stored-unconfirmed', () => {
    const result = readUploadResponse(buildResponse(203, callbackFailedXml, { etag: '"E1"' }), context);
    assert.deepEqual(result, {
      ...context,
      status: 'stored-unconfirmed',
      httpStatus: 203,
      code: 'CallbackFailed',
      message: 'Response body is not valid json format.',
      requestId: '5C3D9175B6FC201293AD4890',
      ec: '0007-00000205',
      etag: 'E1',
    });
  });

  it('still reports a 203 with an unreadable body as stored-unconfirmed', () => {
    const result = readUploadResponse(buildResponse(203, 'oops', { 'x-oss-request-id': 'RID' }), context);
    assert.equal(result.status, 'stored-unconfirmed');
    assert.equal(result.status === 'stored-unconfirmed' && result.requestId, 'RID');
  });

  it('turns an EntityTooLarge document into a rejection with its code, request id and EC', () => {
    const result = readUploadResponse(buildResponse(400, entityTooLargeXml), context);
    assert.equal(result.status, 'rejected');
    assert.ok(result.status === 'rejected');
    assert.equal(result.httpStatus, 400);
    assert.equal(result.code, 'EntityTooLarge');
    assert.equal(result.message, 'Your proposed upload exceeds the maximum allowed size.');
    assert.equal(result.requestId, '64B8E0C2A1F3D95C3E0B7A12');
    assert.equal(result.ec, '0006-00000003');
    assert.equal(result.details['HostId'], 'examplebucket.oss-cn-hangzhou.aliyuncs.com');
  });

  it('reports a non-XML error body as UnknownError with its text, bounded in length', () => {
    const result = readUploadResponse(
      buildResponse(502, `<html>Bad Gateway</html>${'x'.repeat(5000)}`),
      context,
    );
    assert.ok(result.status === 'rejected');
    assert.equal(result.code, 'UnknownError');
    assert.ok(result.message.startsWith('<html>Bad Gateway</html>'));
    assert.equal(result.message.length, 1024);
    assert.deepEqual(result.details, {});
  });

  it('takes the request id and EC from headers when the body has none', () => {
    const result = readUploadResponse(
      buildResponse(403, '', { 'x-oss-request-id': 'RID', 'x-oss-ec': '0003-00000001' }),
      context,
    );
    assert.ok(result.status === 'rejected');
    assert.equal(result.requestId, 'RID');
    assert.equal(result.ec, '0003-00000001');
  });
});
