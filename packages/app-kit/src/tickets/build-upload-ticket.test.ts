import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkPolicy,
  isOssError,
  parseCallbackParam,
  parsePolicy,
  verifyPostSignature,
} from '@upcall/protocol';
import { buildUploadTicket } from './build-upload-ticket.js';
import type { UploadTicketOptions } from './upload-ticket.js';

const now = new Date('2026-01-02T03:04:05.678Z');

/** Deterministic randomness: each call returns bytes filled with the next counter value. */
function counterRandom(): (size: number) => Uint8Array {
  let next = 0xa0;
  return (size) => Buffer.alloc(size, next++);
}

function baseOptions(overrides: Partial<UploadTicketOptions> = {}): UploadTicketOptions {
  return {
    credentials: { accessKeyId: 'AKIDEXAMPLE', accessKeySecret: 'ExampleSecretKey123' },
    region: 'cn-hangzhou',
    bucket: 'examplebucket',
    host: 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com',
    userId: 'alice',
    filename: 'holiday photo.PNG',
    maxSizeBytes: 10 * 1024 * 1024,
    allowedContentTypes: ['image/png', 'image/jpeg'],
    callback: { urls: 'https://app.example.com/oss/callback' },
    now: () => now,
    randomBytes: counterRandom(),
    ...overrides,
  };
}

function decodePolicy(base64: string | undefined): { expiration: string; conditions: unknown[] } {
  return JSON.parse(Buffer.from(base64 ?? '', 'base64').toString('utf8')) as {
    expiration: string;
    conditions: unknown[];
  };
}

const expectedKey = `uploads/alice/${'a0'.repeat(16)}.png`;
const expectedUploadId = Buffer.alloc(16, 0xa1).toString('base64url');

describe('buildUploadTicket', () => {
  it('signs exactly the intended V4 conditions, in order, with every relied-on field pinned', () => {
    const { ticket } = buildUploadTicket(baseOptions());
    const policy = decodePolicy(ticket.fields.policy);
    assert.equal(policy.expiration, '2026-01-02T03:09:05.678Z');
    assert.deepEqual(policy.conditions, [
      { bucket: 'examplebucket' },
      ['eq', '$key', expectedKey],
      ['content-length-range', 1, 10 * 1024 * 1024],
      ['in', '$content-type', ['image/png', 'image/jpeg']],
      { success_action_status: '200' },
      { 'x-oss-forbid-overwrite': 'true' },
      { callback: ticket.fields.callback },
      { 'x:upload_id': expectedUploadId },
      { 'x-oss-signature-version': 'OSS4-HMAC-SHA256' },
      { 'x-oss-credential': 'AKIDEXAMPLE/20260102/cn-hangzhou/oss/aliyun_v4_request' },
      { 'x-oss-date': '20260102T030405Z' },
    ]);
  });

  it('returns the form fields in sending order with a V4 signature the protocol package accepts', () => {
    const { ticket } = buildUploadTicket(baseOptions());
    assert.deepEqual(Object.keys(ticket.fields), [
      'key',
      'success_action_status',
      'x-oss-forbid-overwrite',
      'callback',
      'x:upload_id',
      'x-oss-signature-version',
      'x-oss-credential',
      'x-oss-date',
      'policy',
      'x-oss-signature',
    ]);
    assert.equal(ticket.fields.key, expectedKey);
    const valid = verifyPostSignature({
      version: 'v4',
      policyBase64: ticket.fields.policy ?? '',
      signature: ticket.fields['x-oss-signature'] ?? '',
      accessKeySecret: 'ExampleSecretKey123',
      date: '20260102',
      region: 'cn-hangzhou',
    });
    assert.equal(valid, true);
  });

  it('returns the limits, expiry, key and upload id the browser shows', () => {
    const { ticket, record } = buildUploadTicket(baseOptions());
    assert.equal(ticket.host, 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com');
    assert.equal(ticket.expire, Math.floor(now.getTime() / 1000) + 300);
    assert.equal(ticket.key, expectedKey);
    assert.equal(ticket.keyPrefix, undefined);
    assert.equal(ticket.uploadId, expectedUploadId);
    assert.equal(ticket.maxSizeBytes, 10 * 1024 * 1024);
    assert.equal(ticket.minSizeBytes, 1);
    assert.deepEqual(ticket.allowedContentTypes, ['image/png', 'image/jpeg']);
    assert.deepEqual(record, {
      id: expectedUploadId,
      userId: 'alice',
      bucket: 'examplebucket',
      key: expectedKey,
      keyIsPrefix: false,
      createdAtMs: now.getTime(),
      expiresAtMs: now.getTime() + 300_000,
      appData: null,
    });
  });

  it('signs V1 with OSSAccessKeyId and Signature and pins the STS token', () => {
    const { ticket } = buildUploadTicket(
      baseOptions({
        signatureVersion: 'v1',
        credentials: { accessKeyId: 'STS.AK', accessKeySecret: 'BBBB', securityToken: 'tok+en/=' },
      }),
    );
    const policy = decodePolicy(ticket.fields.policy);
    assert.deepEqual(policy.conditions.slice(-1), [{ 'x-oss-security-token': 'tok+en/=' }]);
    assert.equal(
      policy.conditions.some((c) => JSON.stringify(c).includes('x-oss-signature-version')),
      false,
    );
    assert.deepEqual(Object.keys(ticket.fields).slice(-4), [
      'x-oss-security-token',
      'OSSAccessKeyId',
      'policy',
      'Signature',
    ]);
    assert.equal(ticket.fields.OSSAccessKeyId, 'STS.AK');
    const valid = verifyPostSignature({
      version: 'v1',
      policyBase64: ticket.fields.policy ?? '',
      signature: ticket.fields.Signature ?? '',
      accessKeySecret: 'BBBB',
    });
    assert.equal(valid, true);
  });

  it('produces fields that satisfy their own policy, and a swapped callback or upload id does not', () => {
    const { ticket } = buildUploadTicket(baseOptions({ contentType: 'image/png' }));
    const policy = parsePolicy(ticket.fields.policy ?? '');
    const fields = new Map(Object.entries(ticket.fields).map(([name, value]) => [name.toLowerCase(), value]));
    const check = (changed: Map<string, string>) =>
      checkPolicy(policy, { fields: changed, bucket: 'examplebucket', nowMs: now.getTime() + 1000 }).ok;
    assert.equal(check(fields), true);
    const otherCallback = Buffer.from(
      JSON.stringify({ callbackUrl: 'http://evil.example/', callbackBody: 'a=b' }),
    ).toString('base64');
    assert.equal(check(new Map([...fields, ['callback', otherCallback]])), false);
    assert.equal(check(new Map([...fields, ['x:upload_id', 'someone-else']])), false);
    assert.equal(check(new Map([...fields, ['key', 'uploads/bob/x.png']])), false);
    assert.equal(check(new Map([...fields, ['content-type', 'text/html']])), false);
  });

  it('binds the upload id into a form-urlencoded callback body that names every system variable', () => {
    const { ticket } = buildUploadTicket(
      baseOptions({
        callback: { urls: ['https://a.example/cb', 'https://b.example/cb'], vars: { order_id: '42' } },
      }),
    );
    const config = parseCallbackParam(ticket.fields.callback ?? '');
    assert.deepEqual(
      config.urls.map((url) => url.href),
      ['https://a.example/cb', 'https://b.example/cb'],
    );
    assert.equal(config.bodyType, 'application/x-www-form-urlencoded');
    assert.equal(
      config.body,
      'bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}' +
        '&imageInfo.height=${imageInfo.height}&imageInfo.width=${imageInfo.width}&imageInfo.format=${imageInfo.format}' +
        '&crc64=${crc64}&contentMd5=${contentMd5}&clientIp=${clientIp}&reqId=${reqId}&operation=${operation}' +
        '&uploadId=${x:upload_id}&x:order_id=${x:order_id}',
    );
    assert.equal(ticket.fields['x:order_id'], '42');
    assert.deepEqual(
      decodePolicy(ticket.fields.policy).conditions.filter((c) => JSON.stringify(c).includes('x:')),
      [{ 'x:upload_id': expectedUploadId }, { 'x:order_id': '42' }],
    );
  });

  it('offers a JSON callback body that stays valid JSON for non-images', () => {
    const { ticket } = buildUploadTicket(
      baseOptions({ callback: { urls: 'https://a.example/cb', bodyType: 'application/json', sni: true } }),
    );
    const config = parseCallbackParam(ticket.fields.callback ?? '');
    assert.equal(config.bodyType, 'application/json');
    assert.equal(config.sni, true);
    assert.match(config.body, /"imageSize":"\$\{imageInfo\.width\}x\$\{imageInfo\.height\}"/);
    assert.match(config.body, /"uploadId":\$\{x:upload_id\}/);
  });

  it('puts the Content-Type field in the form when the type is known exactly', () => {
    const single = buildUploadTicket(baseOptions({ allowedContentTypes: ['image/webp'] })).ticket;
    assert.equal(single.fields['Content-Type'], 'image/webp');
    const chosen = buildUploadTicket(baseOptions({ contentType: 'image/jpeg' })).ticket;
    assert.equal(chosen.fields['Content-Type'], 'image/jpeg');
    const many = buildUploadTicket(baseOptions()).ticket;
    assert.equal(many.fields['Content-Type'], undefined);
    assert.throws(() => buildUploadTicket(baseOptions({ contentType: 'text/html' })), isOssError);
  });

  it('lets the browser name the object only under a prefix that ends with "/"', () => {
    const { ticket, record } = buildUploadTicket(baseOptions({ keyMode: 'prefix' }));
    assert.equal(ticket.key, undefined);
    assert.equal(ticket.keyPrefix, 'uploads/alice/');
    assert.equal(ticket.fields.key, undefined);
    assert.deepEqual(decodePolicy(ticket.fields.policy).conditions[1], [
      'starts-with',
      '$key',
      'uploads/alice/',
    ]);
    assert.equal(record.keyIsPrefix, true);
    assert.throws(
      () => buildUploadTicket(baseOptions({ keyMode: 'prefix', keyPrefix: 'uploads/alice' })),
      isOssError,
    );
    assert.throws(() => buildUploadTicket(baseOptions({ keyMode: 'prefix', keyPrefix: '' })), isOssError);
  });

  it('uses an exact key given by the application and omits no-overwrite only when asked', () => {
    const { ticket } = buildUploadTicket(baseOptions({ key: 'avatars/alice.png', forbidOverwrite: false }));
    assert.equal(ticket.fields.key, 'avatars/alice.png');
    assert.equal(ticket.fields['x-oss-forbid-overwrite'], undefined);
    assert.equal(JSON.stringify(decodePolicy(ticket.fields.policy)).includes('forbid-overwrite'), false);
  });

  it('refuses tickets longer than 10 minutes unless allowed, and non-positive expiries', () => {
    assert.throws(() => buildUploadTicket(baseOptions({ expiresInSeconds: 601 })), isOssError);
    assert.throws(() => buildUploadTicket(baseOptions({ expiresInSeconds: 0 })), isOssError);
    const long = buildUploadTicket(baseOptions({ expiresInSeconds: 3600, allowLongExpiry: true })).ticket;
    assert.equal(long.expire, Math.floor(now.getTime() / 1000) + 3600);
    const exactMax = buildUploadTicket(baseOptions({ expiresInSeconds: 600 })).ticket;
    assert.equal(exactMax.expire, Math.floor(now.getTime() / 1000) + 600);
  });

  it('requires a size limit unless unbounded sizes are explicitly allowed', () => {
    assert.throws(
      () => buildUploadTicket(baseOptions({ maxSizeBytes: undefined })),
      (error) => isOssError(error) && error.code === 'InvalidArgument',
    );
    const unbounded = buildUploadTicket(
      baseOptions({ maxSizeBytes: undefined, allowUnboundedSize: true }),
    ).ticket;
    assert.deepEqual(decodePolicy(unbounded.fields.policy).conditions[2], [
      'content-length-range',
      1,
      5 * 1024 ** 3,
    ]);
    const empty = buildUploadTicket(baseOptions({ allowEmpty: true })).ticket;
    assert.deepEqual(decodePolicy(empty.fields.policy).conditions[2], [
      'content-length-range',
      0,
      10 * 1024 * 1024,
    ]);
    assert.throws(() => buildUploadTicket(baseOptions({ minSizeBytes: 11, maxSizeBytes: 10 })), isOssError);
    assert.throws(() => buildUploadTicket(baseOptions({ maxSizeBytes: 1.5 })), isOssError);
  });

  it('requires a region for V4 and accepts the oss- prefixed form', () => {
    assert.throws(() => buildUploadTicket(baseOptions({ region: undefined })), isOssError);
    const { ticket } = buildUploadTicket(baseOptions({ region: 'oss-cn-hangzhou' }));
    assert.equal(ticket.fields['x-oss-credential'], 'AKIDEXAMPLE/20260102/cn-hangzhou/oss/aliyun_v4_request');
  });

  it('refuses bad callback settings before signing anything', () => {
    const bad: Array<UploadTicketOptions['callback']> = [
      { urls: [] },
      { urls: 'https://a.example/x;https://b.example/y' },
      { urls: ['1', '2', '3', '4', '5', '6'].map((n) => `https://a${n}.example/`) },
      { urls: 'https://a.example/cb', host: 'a.example\r\nX-Evil: 1' },
      { urls: 'https://a.example/cb', vars: { 'Bad-Name': 'x' } },
      { urls: 'https://a.example/cb', vars: { upload_id: 'forged' } },
    ];
    for (const callback of bad) {
      assert.throws(() => buildUploadTicket(baseOptions({ callback })), isOssError, JSON.stringify(callback));
    }
  });

  it('stores app data as JSON on the record', () => {
    const { record } = buildUploadTicket(baseOptions({ appData: { album: 'summer' } }));
    assert.equal(record.appData, '{"album":"summer"}');
  });
});
