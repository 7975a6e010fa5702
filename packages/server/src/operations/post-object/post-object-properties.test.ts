import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestServer } from '../../http/testing/start-test-server.js';
import { exchange } from '../../http/testing/http-exchange.js';
import { buildFormParts, buildMultipartBody } from './testing/build-multipart-body.js';
import { sendForm, signPolicyFields, type FormResponse } from './testing/post-form-client.js';
import {
  fixedNowMs,
  publicBucket,
  startPostObjectServer,
  testAccessKeyId,
  testAccessKeySecret,
  testBucket,
} from './testing/post-object-test-server.js';

type Fields = ReadonlyArray<readonly [string, string]>;

function signed(
  version: 'v1' | 'v4',
  conditions: Parameters<typeof signPolicyFields>[0]['conditions'] = [],
): Fields {
  return signPolicyFields({
    version,
    accessKeyId: testAccessKeyId,
    secret: testAccessKeySecret,
    nowMs: fixedNowMs,
    conditions: [{ bucket: testBucket }, ...conditions],
  });
}

describe('PostObject object properties and form semantics', () => {
  let server: TestServer;
  const post = (
    fields: Fields,
    file: { content: string | Buffer; filename?: string; contentType?: string },
    bucket = testBucket,
  ): Promise<FormResponse> => {
    const { body, contentType } = buildMultipartBody(buildFormParts(fields, file));
    return sendForm({ port: server.port, bucket, body, contentType });
  };

  before(async () => {
    server = await startPostObjectServer();
  });
  after(() => server.close());

  it('expands ${filename} to the base name after checking the policy against the template', async () => {
    const fields: Fields = [
      ['key', 'user/alice/${filename}'],
      ...signed('v1', [['eq', '$key', 'user/alice/\\${filename}']]),
    ];
    const res = await post(fields, { content: 'photo', filename: 'C:\\Users\\me\\..\\holiday.jpg' });
    assert.equal(res.status, 204, res.text);
    assert.ok(await server.store.head(testBucket, 'user/alice/holiday.jpg'));
    const traversal = await post([['key', 'user/alice/${filename}'], ...signed('v1')], {
      content: 'x',
      filename: '../../x',
    });
    assert.equal(traversal.status, 204);
    assert.ok(await server.store.head(testBucket, 'user/alice/x'));
  });

  it('keeps ${filename} literally when the file part has no usable name', async () => {
    const res = await post([['key', 'user/${filename}'], ...signed('v1')], { content: 'x', filename: '..' });
    assert.equal(res.status, 204);
    assert.ok(await server.store.head(testBucket, 'user/${filename}'));
  });

  it('stores metadata, headers, ACL and storage class, readable through HEAD/GET of the core', async () => {
    const fields: Fields = [
      ['key', 'meta/report.bin'],
      ['Cache-Control', 'max-age=30'],
      ['Content-Disposition', 'attachment; filename="r.bin"'],
      ['Content-Encoding', 'identity'],
      ['Expires', 'Thu, 01 Jan 2026 00:00:00 GMT'],
      ['x-oss-meta-Owner', 'alice'],
      ['x-oss-meta-trace', 'a b c'],
      ['x-oss-object-acl', 'public-read'],
      ['x-oss-storage-class', 'ia'],
      ...signed('v4'),
    ];
    const res = await post(fields, { content: 'hello', contentType: 'application/x-report' });
    assert.equal(res.status, 204, res.text);
    const meta = await server.store.head(testBucket, 'meta/report.bin');
    assert.equal(meta?.contentType, 'application/x-report');
    assert.deepEqual(meta?.headers, {
      'Cache-Control': 'max-age=30',
      'Content-Disposition': 'attachment; filename="r.bin"',
      'Content-Encoding': 'identity',
      Expires: 'Thu, 01 Jan 2026 00:00:00 GMT',
    });
    assert.deepEqual(meta?.userMeta, { owner: 'alice', trace: 'a b c' });
    assert.equal(meta?.acl, 'public-read');
    assert.equal(meta?.storageClass, 'IA');
    const got = await exchange(server.port, { path: `/${testBucket}/meta/report.bin` });
    assert.equal(got.status, 200);
    assert.equal(got.body, 'hello');
    assert.equal(got.headers['content-type'], 'application/x-report');
    assert.equal(got.headers['cache-control'], 'max-age=30');
    assert.equal(got.headers['x-oss-meta-owner'], 'alice');
    assert.equal(got.headers.etag, '"5D41402ABC4B2A76B9719D911017C592"');
  });

  it('takes the object ACL from the x-oss-object-acl header when the form has none', async () => {
    const { body, contentType } = buildMultipartBody(
      buildFormParts([['key', 'acl/h'], ...signed('v1')], { content: 'x' }),
    );
    const res = await sendForm({
      port: server.port,
      bucket: testBucket,
      body,
      contentType,
      headers: { 'x-oss-object-acl': 'private' },
    });
    assert.equal(res.status, 204);
    assert.equal((await server.store.head(testBucket, 'acl/h'))?.acl, 'private');
  });

  it('chooses Content-Type by x-oss-content-type > file part > Content-Type field > key extension', async () => {
    const cases: Array<[string, Fields, string | undefined, string]> = [
      [
        'ct/1.png',
        [
          ['x-oss-content-type', 'image/webp'],
          ['Content-Type', 'text/csv'],
        ],
        'image/png',
        'image/webp',
      ],
      ['ct/2.png', [['Content-Type', 'text/csv']], 'image/gif', 'image/gif'],
      ['ct/3.png', [['Content-Type', 'text/csv']], undefined, 'text/csv'],
      ['ct/4.png', [], undefined, 'image/png'],
      ['ct/5', [], undefined, 'text/plain'],
      ['ct/6.json', [], 'application/octet-stream', 'application/octet-stream'],
    ];
    for (const [key, extra, partType, expected] of cases) {
      const file = { content: 'x', ...(partType === undefined ? {} : { contentType: partType }) };
      const res = await post([['key', key], ...extra, ...signed('v1')], file);
      assert.equal(res.status, 204, key);
      assert.equal((await server.store.head(testBucket, key))?.contentType, expected, key);
    }
  });

  it('matches form field names case-insensitively and keeps values verbatim', async () => {
    const fields: Fields = signed('v1', [['starts-with', '$key', 'Case/']]).map(([name, value]) => [
      name.toUpperCase(),
      value,
    ]);
    const res = await post([['KEY', 'Case/Mixed.TXT'], ['SUCCESS_ACTION_STATUS', '200'], ...fields], {
      content: 'x',
    });
    assert.equal(res.status, 200, res.text);
    assert.ok(await server.store.head(testBucket, 'Case/Mixed.TXT'));
  });

  it('accepts an anonymous form on a public-read-write bucket', async () => {
    const res = await post([['key', 'anon/a.txt']], { content: 'hi oss' }, publicBucket);
    assert.equal(res.status, 204, res.text);
    assert.equal(res.headers.etag, '"B22E0DC370A7F7067FACF5F75D7FA385"');
    assert.ok(await server.store.head(publicBucket, 'anon/a.txt'));
  });

  it('ignores parts after the file, even a second key', async () => {
    const parts = [
      ...buildFormParts([['key', 'after/original'], ...signed('v1')], { content: 'body' }),
      { name: 'key', value: 'after/evil' },
      { name: 'submit', value: 'Upload to OSS' },
    ];
    const { body, contentType } = buildMultipartBody(parts);
    const res = await sendForm({ port: server.port, bucket: testBucket, body, contentType });
    assert.equal(res.status, 204, res.text);
    assert.ok(await server.store.head(testBucket, 'after/original'));
    assert.equal(await server.store.head(testBucket, 'after/evil'), undefined);
  });

  it('accepts a Content-MD5 header equal to the MD5 of the whole body', async () => {
    const { body, contentType } = buildMultipartBody(
      buildFormParts([['key', 'md5/ok'], ...signed('v1')], { content: 'x' }),
    );
    const { createHash } = await import('node:crypto');
    const md5 = createHash('md5').update(body).digest('base64');
    const res = await sendForm({
      port: server.port,
      bucket: testBucket,
      body,
      contentType,
      headers: { 'content-md5': md5 },
    });
    assert.equal(res.status, 204, res.text);
  });

  it('accepts a file exactly at either end of content-length-range', async () => {
    const conditions = [['content-length-range', 3, 5]] as const;
    const atMin = await post([['key', 'range/min'], ...signed('v1', [...conditions])], { content: 'abc' });
    const atMax = await post([['key', 'range/max'], ...signed('v1', [...conditions])], { content: 'abcde' });
    assert.equal(atMin.status, 204, atMin.text);
    assert.equal(atMax.status, 204, atMax.text);
  });
});
