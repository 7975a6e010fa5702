// Hostile request data reaching the ticket builder (threats §B2 minio-java #1174, §C6.59, §C2.14–15,
// §C2.21): every value either stays inside its own JSON string — the decoded policy has exactly the
// intended conditions — or the ticket is refused with a typed OssError.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isOssError } from '@upcall/protocol';
import { buildUploadTicket } from './build-upload-ticket.js';
import type { UploadTicketOptions } from './upload-ticket.js';

const injection = '"},{"bucket":"other';
const hostileValues = [
  injection,
  'a\\b',
  'a"b',
  `x${injection}`,
  '..',
  '../../etc/passwd',
  '%2e%2e/x',
  'ü/中文',
];

function options(overrides: Partial<UploadTicketOptions>): UploadTicketOptions {
  let next = 1;
  return {
    credentials: { accessKeyId: 'AK', accessKeySecret: 'SK' },
    signatureVersion: 'v1',
    bucket: 'examplebucket',
    host: 'http://127.0.0.1:9000',
    userId: 'alice',
    maxSizeBytes: 1024,
    callback: { urls: 'http://127.0.0.1:3000/cb' },
    now: () => new Date('2026-01-01T00:00:00Z'),
    randomBytes: (size) => Buffer.alloc(size, next++),
    ...overrides,
  };
}

function decodedConditions(fields: Readonly<Record<string, string>>): unknown[] {
  const policy = JSON.parse(Buffer.from(fields.policy ?? '', 'base64').toString('utf8')) as {
    conditions: unknown[];
  };
  return policy.conditions;
}

/** The condition list every V1 ticket of these tests must have, whatever the key. */
function assertIntendedShape(conditions: unknown[], keyCondition: unknown): void {
  assert.equal(conditions.length, 7);
  assert.deepEqual(conditions[0], { bucket: 'examplebucket' });
  assert.deepEqual(conditions[1], keyCondition);
  assert.deepEqual(conditions[2], ['content-length-range', 1, 1024]);
  assert.deepEqual(conditions[3], { success_action_status: '200' });
  assert.deepEqual(conditions[4], { 'x-oss-forbid-overwrite': 'true' });
  assert.deepEqual(Object.keys(conditions[5] as object), ['callback']);
  assert.deepEqual(Object.keys(conditions[6] as object), ['x:upload_id']);
}

describe('buildUploadTicket with hostile input', () => {
  for (const userId of [...hostileValues, 'a\u0000b', 'a\nb', 'a\r\nb', '/root', '\\share']) {
    it(`confines user id ${JSON.stringify(userId)} to one encoded folder`, () => {
      const { ticket } = buildUploadTicket(options({ userId }));
      const key = ticket.key ?? '';
      const folder = key.split('/')[1] ?? '';
      assert.match(folder, /^[A-Za-z0-9_%-]+$/);
      assert.equal(key.split('/').length, 3);
      assertIntendedShape(decodedConditions(ticket.fields), ['eq', '$key', key]);
    });
  }

  for (const filename of [
    ...hostileValues,
    'x.png\u0000.exe',
    'a.p"ng',
    'evil.ph\np',
    `${'a'.repeat(2000)}.jpg`,
    '.bashrc',
    'noext.',
  ]) {
    it(`keeps at most a plain extension from filename ${JSON.stringify(filename.slice(0, 40))}`, () => {
      const { ticket } = buildUploadTicket(options({ filename }));
      assert.match(ticket.key ?? '', /^uploads\/alice\/[0-9a-f]{32}(\.[a-z0-9]{1,16})?$/);
      assertIntendedShape(decodedConditions(ticket.fields), ['eq', '$key', ticket.key]);
    });
  }

  for (const key of [injection, 'a\\b"c', 'dir/..x/y', 'ü/中文.txt']) {
    it(`signs the exact key ${JSON.stringify(key)} as one literal value`, () => {
      const { ticket } = buildUploadTicket(options({ key }));
      assert.equal(ticket.fields.key, key);
      assertIntendedShape(decodedConditions(ticket.fields), ['eq', '$key', key]);
    });
  }

  for (const keyPrefix of [`${injection}/`, 'a"b/']) {
    it(`signs the prefix ${JSON.stringify(keyPrefix)} as one literal value`, () => {
      const { ticket } = buildUploadTicket(options({ keyMode: 'prefix', keyPrefix }));
      assertIntendedShape(decodedConditions(ticket.fields), ['starts-with', '$key', keyPrefix]);
    });
  }

  const refusedKeys: Array<[string, string]> = [
    ['NUL', 'a\u0000b'],
    ['newline', 'a\nb'],
    ['DEL', 'a\u007fb'],
    ['leading slash', '/abs'],
    ['leading backslash', '\\abs'],
    ['dot-dot segment', 'a/../../b'],
    ['backslash dot-dot segment', 'a\\..\\b'],
    ['lone surrogate', 'a\ud800b'],
    ['1024 bytes', 'k'.repeat(1024)],
  ];
  for (const [what, key] of refusedKeys) {
    it(`refuses an exact key with a ${what}`, () => {
      assert.throws(
        () => buildUploadTicket(options({ key })),
        (error) => isOssError(error) && (error.code === 'InvalidObjectName' || error.code === 'KeyTooLong'),
      );
    });
    it(`refuses a key prefix with a ${what}`, () => {
      assert.throws(
        () => buildUploadTicket(options({ keyMode: 'prefix', keyPrefix: `${key}/` })),
        isOssError,
      );
    });
  }

  it('accepts a 1023-byte key and reports KeyTooLong at 1024', () => {
    assert.equal(buildUploadTicket(options({ key: 'k'.repeat(1023) })).ticket.key?.length, 1023);
    assert.throws(
      () => buildUploadTicket(options({ key: 'é'.repeat(512) })),
      (error) => isOssError(error) && error.code === 'KeyTooLong',
    );
  });

  it('refuses a user id so long that the default key would exceed 1023 bytes', () => {
    assert.throws(
      () => buildUploadTicket(options({ userId: '中'.repeat(200) })),
      (error) => isOssError(error) && error.code === 'KeyTooLong',
    );
  });

  it('keeps hostile callback variable values inside their own strings', () => {
    const { ticket } = buildUploadTicket(
      options({ callback: { urls: 'http://127.0.0.1:3000/cb', vars: { note: injection } } }),
    );
    const conditions = decodedConditions(ticket.fields);
    assert.equal(conditions.length, 8);
    assert.deepEqual(conditions[7], { 'x:note': injection });
    assert.equal(conditions.filter((c) => JSON.stringify(c).includes('"bucket"')).length, 1);
  });

  it('refuses an empty user id, a bad bucket name and a non-http host', () => {
    assert.throws(() => buildUploadTicket(options({ userId: '' })), isOssError);
    assert.throws(() => buildUploadTicket(options({ bucket: 'Bad_Bucket' })), isOssError);
    assert.throws(() => buildUploadTicket(options({ host: 'javascript:alert(1)' })), isOssError);
  });

  it('refuses content types that are not plain media types', () => {
    for (const type of ['text/html"', 'image/png\r\nX: y', 'image', '']) {
      assert.throws(() => buildUploadTicket(options({ allowedContentTypes: [type] })), isOssError, type);
    }
  });
});
