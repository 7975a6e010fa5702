import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exchange } from '../../http/testing/http-exchange.js';
import { putTestObject } from '../../http/testing/start-test-server.js';
import { signedExchange } from '../testing/signed-exchange.js';
import {
  captureAliOssError,
  openObjectApiFixture,
  signatureVersions,
  storeKinds,
  type ObjectApiFixture,
} from '../testing/object-api-fixture.js';

for (const kind of storeKinds) {
  describe(`bucket operations with ali-oss over the ${kind} store`, () => {
    let fx: ObjectApiFixture;
    before(async () => {
      fx = await openObjectApiFixture(kind);
    });
    after(() => fx.close());

    for (const version of signatureVersions) {
      for (const mode of ['ip-endpoint', 'path-style'] as const) {
        it(`creates, lists, describes, re-ACLs, configures CORS on and deletes a bucket [${mode}, ${version.toUpperCase()}]`, async () => {
          const name = `b-${mode}-${version}`;
          const client = fx.client(mode, version);
          await client.putBucket(name);
          const listed = await client.listBuckets();
          const entry = listed.buckets?.find((b) => b.name === name);
          assert.equal(entry?.region, 'oss-cn-hangzhou');
          assert.match(entry?.creationDate ?? '', /^\d{4}-\d\d-\d\dT/);
          assert.equal((await client.getBucketInfo(name)).bucket.Name, name);
          assert.equal((await client.getBucketACL(name)).acl, 'private');
          await client.putBucketACL(name, 'public-read');
          assert.equal((await client.getBucketACL(name)).acl, 'public-read');
          await client.putBucketCORS(name, [
            {
              allowedOrigin: 'https://app.example',
              allowedMethod: ['PUT', 'post'],
              allowedHeader: '*',
              exposeHeader: 'ETag',
              maxAgeSeconds: 60,
            },
          ]);
          const cors = await client.getBucketCORS(name);
          assert.deepEqual(cors.rules, [
            {
              allowedOrigin: 'https://app.example',
              allowedMethod: ['PUT', 'POST'],
              allowedHeader: '*',
              exposeHeader: 'ETag',
              maxAgeSeconds: '60',
            },
          ]);
          await client.deleteBucketCORS(name);
          const noCors = await captureAliOssError(client.getBucketCORS(name));
          assert.equal(noCors.status, 404);
          await putTestObject(fx.store, name, 'keep.txt', 'k');
          const notEmpty = await captureAliOssError(client.deleteBucket(name));
          assert.deepEqual([notEmpty.code, notEmpty.status], ['BucketNotEmpty', 409]);
          await fx.store.delete(name, 'keep.txt');
          await client.deleteBucket(name);
          assert.ok(!(await client.listBuckets()).buckets?.some((b) => b.name === name));
          const gone = await captureAliOssError(client.getBucketACL(name));
          assert.deepEqual([gone.code, gone.status], ['NoSuchBucket', 404]);
        });
      }

      it(`reads and sets the ACL and CORS of its bucket through a custom domain [${version.toUpperCase()}]`, async () => {
        const client = fx.client('custom-domain', version);
        assert.equal((await client.getBucketACL('uploads')).acl, 'private');
        await client.putBucketCORS('uploads', [{ allowedOrigin: '*', allowedMethod: 'GET' }]);
        assert.equal((await client.getBucketCORS('uploads')).rules.length, 1);
        await client.deleteBucketCORS('uploads');
      });
    }
  });
}

describe('bucket operations: refusals', () => {
  let fx: ObjectApiFixture;
  const putCors = (body: string) =>
    signedExchange(fx.port, {
      method: 'PUT',
      bucket: 'uploads',
      query: [['cors', '']],
      headers: { 'content-type': 'application/xml' },
      body,
    });
  const rule = (inner: string) => `<CORSRule>${inner}</CORSRule>`;
  const ok = '<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>';

  before(async () => {
    fx = await openObjectApiFixture('memory');
  });
  after(() => fx.close());

  it('answers MalformedXML / InvalidArgument for bad CORS documents and keeps none of them', async () => {
    const cases: Array<[string, number, string]> = [
      [
        '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x "*">]><CORSConfiguration>' +
          rule('<AllowedOrigin>&x;</AllowedOrigin><AllowedMethod>GET</AllowedMethod>') +
          '</CORSConfiguration>',
        400,
        'MalformedXML',
      ],
      ['<CORSConfiguration><CORSRule></CORSConfiguration>', 400, 'MalformedXML'],
      ['<CORSConfiguration></CORSConfiguration>', 400, 'MalformedXML'],
      [`<CORSConfiguration>${rule(ok).repeat(11)}</CORSConfiguration>`, 400, 'InvalidArgument'],
      [
        `<CORSConfiguration>${rule('<AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod>')}</CORSConfiguration>`,
        400,
        'InvalidArgument',
      ],
      [
        `<CORSConfiguration>${rule('<AllowedOrigin>https://*.*.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod>')}</CORSConfiguration>`,
        400,
        'InvalidArgument',
      ],
      [
        `<CORSConfiguration>${rule(`${ok}<ExposeHeader>*</ExposeHeader>`)}</CORSConfiguration>`,
        400,
        'InvalidArgument',
      ],
      [
        `<CORSConfiguration>${rule('<AllowedMethod>GET</AllowedMethod>')}</CORSConfiguration>`,
        400,
        'InvalidArgument',
      ],
      [
        `<CORSConfiguration>${rule(`${ok}<MaxAgeSeconds>-1</MaxAgeSeconds>`)}</CORSConfiguration>`,
        400,
        'InvalidArgument',
      ],
      [
        `<CORSConfiguration>${rule(`${ok}<AllowedHeader>${'x'.repeat(17 * 1024)}</AllowedHeader>`)}</CORSConfiguration>`,
        400,
        'InvalidArgument',
      ],
    ];
    for (const [body, status, code] of cases) {
      const res = await putCors(body);
      assert.equal(res.status, status, body.slice(0, 80));
      assert.match(res.body, new RegExp(`<Code>${code}</Code>`), body.slice(0, 80));
    }
    assert.equal(await fx.store.getBucketCors('uploads'), undefined);
  });

  it('answers GetBucketCors without a configuration with 404 and says so', async () => {
    const res = await signedExchange(fx.port, { method: 'GET', bucket: 'uploads', query: [['cors', '']] });
    assert.equal(res.status, 404);
    assert.match(res.body, /<Code>NoSuchCORSConfiguration<\/Code>/);
    assert.match(res.body, /The CORS configuration does not exist\./);
  });

  it('refuses anonymous ListBuckets and bucket administration', async () => {
    assert.equal((await exchange(fx.port, { path: '/' })).status, 403);
    assert.equal((await exchange(fx.port, { path: '/uploads/?acl' })).status, 403);
    assert.equal((await exchange(fx.port, { method: 'DELETE', path: '/uploads/' })).status, 403);
    assert.ok(await fx.store.getBucket('uploads'));
  });

  it('refuses PutBucketAcl without x-oss-acl and with an unknown ACL', async () => {
    for (const headers of [{}, { 'x-oss-acl': 'everyone' }] as Array<Record<string, string>>) {
      const res = await signedExchange(fx.port, {
        method: 'PUT',
        bucket: 'uploads',
        query: [['acl', '']],
        headers,
      });
      assert.equal(res.status, 400, JSON.stringify(headers));
    }
    assert.equal((await fx.store.getBucket('uploads'))?.acl, 'private');
  });

  it('answers GetBucketLocation and pages ListBuckets with prefix, marker and max-keys', async () => {
    const location = await signedExchange(fx.port, {
      method: 'GET',
      bucket: 'uploads',
      query: [['location', '']],
    });
    assert.match(location.body, /<LocationConstraint>oss-cn-hangzhou<\/LocationConstraint>/);
    for (const name of ['page-a', 'page-b', 'page-c']) await fx.store.createBucket(name);
    const client = fx.client('ip-endpoint', 'v1');
    const first = await client.listBuckets({ prefix: 'page-', 'max-keys': 2 });
    assert.deepEqual(
      first.buckets?.map((b) => b.name),
      ['page-a', 'page-b'],
    );
    const rest = await client.listBuckets({ prefix: 'page-', marker: 'page-b' });
    assert.deepEqual(
      rest.buckets?.map((b) => b.name),
      ['page-c'],
    );
  });

  it('answers NotImplemented for bucket sub-resources it does not keep', async () => {
    for (const sub of ['lifecycle', 'versioning', 'tagging', 'website', 'policy']) {
      const res = await signedExchange(fx.port, { method: 'GET', bucket: 'uploads', query: [[sub, '']] });
      assert.equal(res.status, 501, sub);
    }
  });
});
