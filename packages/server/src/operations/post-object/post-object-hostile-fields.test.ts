// Threats §C2 (conditions, fields, keys, sizes) against PostObject.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openHostileFixture, type Fields, type HostileFixture } from './testing/hostile-fixture.js';
import { readErrorMessage } from './testing/post-form-client.js';
import { publicBucket, testBucket } from './testing/post-object-test-server.js';
import { buildFormParts, buildMultipartBody } from './testing/build-multipart-body.js';
import { sendForm } from './testing/post-form-client.js';

function fieldOf(fields: Fields, name: string): string {
  const found = fields.find(([n]) => n === name);
  assert.ok(found, name);
  return found[1];
}

describe('PostObject hostile inputs: conditions, fields, keys and object properties', () => {
  let fx: HostileFixture;
  before(async () => {
    fx = await openHostileFixture();
  });
  after(() => fx.close());

  it('refuses keys outside the starts-with prefix with 403 AccessDenied', async () => {
    for (const key of ['user/bob/x', 'user/alice', 'USER/alice/x']) {
      const res = await fx.post([['key', key], ...fx.signed([['starts-with', '$key', 'user/alice/']])]);
      await fx.expectRefused(res, 403, 'AccessDenied', key);
    }
  });

  it('stores user/alice/../bob/x as a literal key inside the prefix', async () => {
    const res = await fx.post([
      ['key', 'user/alice/../bob/x'],
      ...fx.signed([['starts-with', '$key', 'user/alice/']]),
    ]);
    assert.equal(res.status, 204, res.text);
    assert.ok(await fx.server.store.head(testBucket, 'user/alice/../bob/x'));
    assert.equal(await fx.server.store.head(testBucket, 'user/bob/x'), undefined);
  });

  it('refuses invalid keys: leading slash or backslash, control characters, over 1023 bytes', async () => {
    const cases: Array<[string, string]> = [
      ['/abs', 'InvalidObjectName'],
      ['\\abs', 'InvalidObjectName'],
      ['a\u0001b', 'InvalidObjectName'],
      ['a\u0000b', 'InvalidObjectName'],
      ['k'.repeat(1024), 'KeyTooLong'],
    ];
    for (const [key, code] of cases) {
      const res = await fx.post([['key', key], ...fx.signed()]);
      await fx.expectRefused(res, 400, code, key);
    }
  });

  it('refuses a form missing a field the policy names, or with a value differing in case, with 403', async () => {
    const missing = await fx.post([['key', 'c2/16'], ...fx.signed([['eq', '$x-oss-meta-a', '1']])]);
    await fx.expectRefused(missing, 403, 'AccessDenied', 'c2/16');
    const wrongCase = await fx.post([
      ['key', 'c2/17'],
      ['content-TYPE', 'image/PNG'],
      ...fx.signed([['eq', '$Content-Type', 'image/png']]),
    ]);
    await fx.expectRefused(wrongCase, 403, 'AccessDenied', 'c2/17');
    const ok = await fx.post([
      ['key', 'c2/17'],
      ['content-TYPE', 'image/png'],
      ...fx.signed([['eq', '$Content-Type', 'image/png']]),
    ]);
    assert.equal(ok.status, 204, ok.text);
  });

  it('refuses duplicated form fields, whatever their case, with 400 InvalidArgument', async () => {
    const cases: Fields[] = [
      [['key', 'c2/18'], ['key', 'c2/18b'], ...fx.signed()],
      [['key', 'c2/18'], ['KEY', 'c2/18'], ...fx.signed()],
      [['key', 'c2/18'], ...fx.signed(), ['policy', fieldOf(fx.signed(), 'policy')]],
      [['key', 'c2/18'], ...fx.signed(), ['signature', 'x']],
    ];
    for (const fields of cases) {
      const res = await fx.post(fields);
      await fx.expectRefused(res, 400, 'InvalidArgument', 'c2/18');
    }
  });

  it('refuses a form whose only key comes after the file with the OSS field-order message', async () => {
    const parts = [...buildFormParts(fx.signed(), { content: 'x' }), { name: 'key', value: 'c2/20' }];
    const res = await fx.postParts(parts);
    await fx.expectRefused(res, 400, 'InvalidArgument', 'c2/20');
    assert.equal(
      readErrorMessage(res.text),
      'The bucket POST must contain the specified &apos;key&apos;. If it is specified, please check the order of the fields',
    );
  });

  it('refuses a file one byte over or under content-length-range with EntityTooLarge / EntityTooSmall', async () => {
    const range = [['content-length-range', 3, 5]] as const;
    const over = await fx.post([['key', 'c2/22'], ...fx.signed([...range])], 'abcdef');
    await fx.expectRefused(over, 400, 'EntityTooLarge', 'c2/22');
    const under = await fx.post([['key', 'c2/22'], ...fx.signed([...range])], 'ab');
    await fx.expectRefused(under, 400, 'EntityTooSmall', 'c2/22');
  });

  it('refuses an anonymous form on a private bucket with 403 AccessDenied', async () => {
    const res = await fx.post([['key', 'anon/x']]);
    await fx.expectRefused(res, 403, 'AccessDenied', 'anon/x');
  });

  it('refuses x-oss-forbid-overwrite on an existing key with 409 and keeps the old bytes', async () => {
    const first = await fx.post([['key', 'c2/keep'], ...fx.signed()], 'original');
    assert.equal(first.status, 204);
    const second = await fx.post(
      [['key', 'c2/keep'], ['x-oss-forbid-overwrite', 'true'], ...fx.signed()],
      'replacement',
    );
    assert.equal(second.status, 409);
    await fx.waitForNoTempFiles();
    const read = await fx.server.store.read(testBucket, 'c2/keep');
    const chunks: Buffer[] = [];
    for await (const chunk of read?.body ?? []) chunks.push(chunk as Buffer);
    assert.equal(Buffer.concat(chunks).toString(), 'original');
  });

  it('refuses bad object properties: ACL, storage class, encryption, oversized or unsafe metadata', async () => {
    const cases: Array<[Fields, string]> = [
      [[['x-oss-object-acl', 'public']], 'InvalidArgument'],
      [[['x-oss-storage-class', 'Glacier']], 'InvalidArgument'],
      [[['x-oss-server-side-encryption', 'AES128']], 'InvalidEncryptionAlgorithmError'],
      [[['x-oss-meta-big', 'x'.repeat(8 * 1024)]], 'InvalidArgument'],
      [[['x-oss-meta-bad name', 'x']], 'InvalidArgument'],
      [[['x-oss-meta-crlf', 'a\r\nSet-Cookie: x=1']], 'InvalidArgument'],
      [[['Content-Disposition', 'attachment; filename="\u4e2d.txt"']], 'InvalidArgument'],
    ];
    for (const [extra, code] of cases) {
      const res = await fx.post([['key', 'c2/props'], ...extra, ...fx.signed()]);
      await fx.expectRefused(res, 400, code, 'c2/props');
    }
  });

  it('answers 404 NoSuchBucket for a bucket that does not exist', async () => {
    const { body, contentType } = buildMultipartBody(buildFormParts([['key', 'x']], { content: 'x' }));
    const res = await sendForm({ port: fx.server.port, bucket: 'no-such-bucket', body, contentType });
    await fx.expectRefused(res, 404, 'NoSuchBucket');
    assert.ok(await fx.server.store.getBucket(publicBucket));
  });
});
