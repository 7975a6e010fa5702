import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseTicket } from './ticket.js';
import { ticketFromOfficialDemo } from './ticket-from-official-demo.js';
import { TicketError } from './upload-errors.js';

// The JSON app-kit's issueUploadTicket returns (packages/app-kit/src/tickets/upload-ticket.ts).
const appKitTicket = {
  host: 'http://127.0.0.1:9000',
  fields: {
    key: 'uploads/alice/0f3c.png',
    'Content-Type': 'image/png',
    success_action_status: '200',
    'x-oss-forbid-overwrite': 'true',
    callback: 'eyJjYWxsYmFja1VybCI6Imh0dHA6Ly8xMjcuMC4wLjE6MzAwMC9jYiJ9',
    'x:upload_id': 'u-1',
    'x-oss-signature-version': 'OSS4-HMAC-SHA256',
    'x-oss-credential': 'AK/20250101/cn-hangzhou/oss/aliyun_v4_request',
    'x-oss-date': '20250101T000000Z',
    policy: 'eyJleHBpcmF0aW9uIjoiMjAyNS0wMS0wMVQwMDowNTowMC4wMDBaIn0=',
    'x-oss-signature': 'ab12',
  },
  expire: 1735689900,
  key: 'uploads/alice/0f3c.png',
  uploadId: 'u-1',
  maxSizeBytes: 1024,
  minSizeBytes: 1,
  allowedContentTypes: ['image/png'],
  signatureVersion: 'v4',
};

describe('parseTicket', () => {
  it('reads an app-kit ticket, keeping field order and ignoring unknown properties', () => {
    const ticket = parseTicket(appKitTicket);
    assert.deepEqual(ticket.fields, Object.entries(appKitTicket.fields));
    assert.equal(ticket.expireMs, 1735689900_000);
    assert.equal(ticket.uploadId, 'u-1');
    assert.deepEqual(ticket.allowedContentTypes, ['image/png']);
    assert.equal('signatureVersion' in ticket, false);
  });

  it('accepts a plain real-OSS ticket with only host and ordered field pairs', () => {
    const ticket = parseTicket({
      host: 'https://b.oss-cn-hangzhou.aliyuncs.com',
      fields: [
        ['key', 'a'],
        ['policy', 'p'],
      ],
    });
    assert.deepEqual(ticket, {
      host: 'https://b.oss-cn-hangzhou.aliyuncs.com',
      fields: [
        ['key', 'a'],
        ['policy', 'p'],
      ],
    });
  });

  it('refuses tickets that would send something other than the form OSS expects', () => {
    const bad: unknown[] = [
      null,
      [],
      { fields: {} },
      { host: 'javascript:alert(1)', fields: {} },
      { host: '//evil.example', fields: {} },
      { host: 'https://h', fields: 'key=a' },
      { host: 'https://h', fields: { key: 1 } },
      { host: 'https://h', fields: [['key']] },
      { host: 'https://h', fields: { file: 'x' } },
      { host: 'https://h', fields: {}, expire: 'soon' },
      { host: 'https://h', fields: {}, allowedContentTypes: ['image/png', 3] },
    ];
    for (const json of bad) assert.throws(() => parseTicket(json), TicketError, JSON.stringify(json));
  });

  it('accepts a same-origin path as host and a numeric-string expire', () => {
    const ticket = parseTicket({ host: '/storage', fields: {}, expire: '1700000000' });
    assert.equal(ticket.host, '/storage');
    assert.equal(ticket.expireMs, 1_700_000_000_000);
  });
});

describe('ticketFromOfficialDemo', () => {
  const v1Demo = {
    accessid: 'LTAI5tExample',
    host: 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com',
    policy: 'eyJleHBpcmF0aW9uIjoiMjAyMC0wMS0wMVQxMjowMDowMC4wMDBaIn0=',
    signature: 'VsxOcOudx******z93CLaXPz+4s=',
    expire: 1446727949,
    dir: 'user-dir-prefix/',
    callback: 'eyJjYWxsYmFja1VybCI6Imh0dHA6Ly9vc3MtZGVtby5hbGl5dW5jcy5jb206MjM0NTAifQ==',
  };

  it('builds a prefix ticket the client names per file when no file name is given', () => {
    assert.deepEqual(ticketFromOfficialDemo(v1Demo), {
      host: v1Demo.host,
      fields: [
        ['policy', v1Demo.policy],
        ['OSSAccessKeyId', v1Demo.accessid],
        ['Signature', v1Demo.signature],
        ['success_action_status', '200'],
        ['callback', v1Demo.callback],
      ],
      expire: 1446727949,
      keyPrefix: 'user-dir-prefix/',
    });
  });

  it('binds the key to dir + file name when a file name is given', () => {
    const ticket = ticketFromOfficialDemo({ ...v1Demo, callback: undefined }, 'cat.png');
    assert.equal(ticket.key, 'user-dir-prefix/cat.png');
    assert.deepEqual(parseTicket(ticket).fields[0], ['key', 'user-dir-prefix/cat.png']);
    assert.equal(
      parseTicket(ticket).fields.some(([name]) => name === 'callback'),
      false,
    );
  });

  it('maps the V4 variant of the demo to x-oss-* signature fields', () => {
    const ticket = ticketFromOfficialDemo({
      host: 'https://b.oss-cn-hangzhou.aliyuncs.com',
      policy: 'cA==',
      signature: 'abcdef',
      x_oss_signature_version: 'OSS4-HMAC-SHA256',
      x_oss_credential: 'STS.AK/20250101/cn-hangzhou/oss/aliyun_v4_request',
      x_oss_date: '20250101T000000Z',
      security_token: 'token',
      dir: 'd/',
      expire: '1735689600',
    });
    assert.deepEqual(ticket.fields, [
      ['policy', 'cA=='],
      ['x-oss-signature-version', 'OSS4-HMAC-SHA256'],
      ['x-oss-credential', 'STS.AK/20250101/cn-hangzhou/oss/aliyun_v4_request'],
      ['x-oss-date', '20250101T000000Z'],
      ['x-oss-signature', 'abcdef'],
      ['x-oss-security-token', 'token'],
      ['success_action_status', '200'],
    ]);
    assert.equal(ticket.expire, 1735689600);
  });

  it('refuses demo JSON without the essential policy, signature or host', () => {
    for (const missing of ['policy', 'signature', 'host', 'accessid']) {
      const json: Record<string, unknown> = { ...v1Demo };
      delete json[missing];
      assert.throws(() => ticketFromOfficialDemo(json), TicketError, missing);
    }
    assert.throws(() => ticketFromOfficialDemo('nope'), TicketError);
  });
});
