// The object API driven by the official ali-oss client, for every store (memory, filesystem, and the
// gateway store over the S3 backend) × addressing mode × signature version: PutObject/putStream,
// GetObject (range), HeadObject, GetObjectMeta, DeleteObject, DeleteMultipleObjects, CopyObject,
// ListObjects, ListObjectsV2 (pagination), the upload callback with customValue, presigned URLs (V1
// GET/PUT with callback, V4 GET/PUT), and the errors the SDK surfaces.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { AddressingMode } from '../http/testing/create-ali-oss-client.js';
import { exchangeUrl } from '../http/testing/http-exchange.js';
import {
  startCallbackReceiver,
  replyJson,
  type CallbackReceiver,
} from './post-object/testing/callback-receiver.js';
import { findClosedPort } from './post-object/testing/callback-fixture.js';
import {
  addressingModes,
  apiBucket,
  captureAliOssError,
  openObjectApiFixture,
  signatureVersions,
  storeKinds,
  type ObjectApiFixture,
  type StoreKind,
  type SignatureVersion,
} from './testing/object-api-fixture.js';
import { skipStoreUnderTest } from '../store/testing/open-store-under-test.js';

const md5Hex = (body: string | Buffer): string => createHash('md5').update(body).digest('hex').toUpperCase();

// The gateway store too (issue 9): the same SDK calls against S3ObjectStore on Ceph RGW in CI.
const kinds: readonly StoreKind[] = [...storeKinds, 's3'];

for (const kind of kinds) {
  const skip = kind === 'memory' ? false : skipStoreUnderTest(kind);
  describe(`object API with ali-oss over the ${kind} store`, { skip }, () => {
    let fx: ObjectApiFixture;
    let app: CallbackReceiver;
    before(async () => {
      fx = await openObjectApiFixture(kind);
      app = await startCallbackReceiver(replyJson('{"Status":"OK"}'));
    });
    after(async () => {
      await app.close();
      await fx.close();
    });

    for (const mode of addressingModes) {
      for (const version of signatureVersions) {
        describeCombination(
          () => fx,
          () => app,
          mode,
          version,
        );
      }
    }
  });
}

function describeCombination(
  fixture: () => ObjectApiFixture,
  receiver: () => CallbackReceiver,
  mode: AddressingMode,
  version: SignatureVersion,
): void {
  const label = `${mode}, ${version.toUpperCase()}`;
  const prefix = `${mode}-${version}/`;

  it(`puts, reads (whole, range, head, meta) and deletes an object [${label}]`, async () => {
    const client = fixture().client(mode, version);
    const key = `${prefix}docs/hello wörld+1.txt`;
    const put = await client.put(key, Buffer.from('hi oss'), {
      meta: { author: 'alice' },
      headers: { 'Cache-Control': 'no-cache', 'x-oss-object-acl': 'private' },
    });
    assert.equal(put.res.status, 200);
    assert.equal(put.res.headers.etag, '"B22E0DC370A7F7067FACF5F75D7FA385"');
    assert.equal(put.res.headers['x-oss-hash-crc64ecma'], '8707180448768400016');
    assert.equal(put.res.headers['content-md5'], 'si4Nw3Cn9wZ/rPX3XX+jhQ==');
    const got = await client.get(key);
    assert.equal(got.content.toString(), 'hi oss');
    assert.equal(got.res.headers['content-type'], 'text/plain');
    assert.equal(got.res.headers['cache-control'], 'no-cache');
    const range = await client.get(key, null, { headers: { Range: 'bytes=1-3' } });
    assert.equal(range.res.status, 206);
    assert.equal(range.content.toString(), 'i o');
    const head = await client.head(key);
    assert.equal(head.res.headers['x-oss-meta-author'], 'alice');
    const meta = await client.getObjectMeta(key);
    assert.equal(meta.res.headers.etag, '"B22E0DC370A7F7067FACF5F75D7FA385"');
    assert.equal(meta.res.headers['content-length'], '6');
    assert.equal(
      meta.res.headers['x-oss-meta-author'],
      undefined,
      'GetObjectMeta is the basic metadata only',
    );
    await client.delete(key);
    const gone = await captureAliOssError(client.head(key));
    assert.equal(gone.status, 404);
    assert.equal((await captureAliOssError(client.get(key))).code, 'NoSuchKey');
  });

  it(`streams a chunked putStream body and copies it with COPY and REPLACE [${label}]`, async () => {
    const client = fixture().client(mode, version);
    const body = Buffer.alloc(300 * 1024, 'stream-');
    await client.putStream(`${prefix}big.bin`, Readable.from([body.subarray(0, 1000), body.subarray(1000)]), {
      mime: 'application/x-test',
    });
    const copied = await client.copy(`${prefix}copy.bin`, `${prefix}big.bin`);
    assert.equal(copied.data?.etag, `"${md5Hex(body)}"`);
    const copy = await client.get(`${prefix}copy.bin`);
    assert.ok(copy.content.equals(body));
    assert.equal(copy.res.headers['content-type'], 'application/x-test');
    await client.copy(`${prefix}replaced.bin`, `/${apiBucket}/${prefix}big.bin`, {
      meta: { stage: 'two' },
      headers: { 'Content-Type': 'text/csv' },
    });
    const replaced = await client.head(`${prefix}replaced.bin`);
    assert.equal(replaced.res.headers['content-type'], 'text/csv');
    assert.equal(replaced.res.headers['x-oss-meta-stage'], 'two');
  });

  it(`lists with v1 and pages with v2, then deletes many at once [${label}]`, async () => {
    const client = fixture().client(mode, version);
    const dir = `${prefix}list/`;
    const names = ['a.txt', 'b&c.txt', 'sub/x.txt', 'sub/y.txt', 'z.txt'].map((name) => dir + name);
    for (const name of names) await client.put(name, Buffer.from(name));
    const v1 = await client.list({ prefix: dir, delimiter: '/' });
    assert.deepEqual(v1.prefixes, [`${dir}sub/`]);
    const seen: string[] = [];
    let token: string | null | undefined;
    do {
      const page = await client.listV2({
        prefix: dir,
        'max-keys': 2,
        ...(token ? { 'continuation-token': token } : {}),
      });
      assert.ok((page.keyCount ?? 0) <= 2);
      seen.push(...(page.objects ?? []).map((o) => o.name));
      token = page.isTruncated ? page.nextContinuationToken : undefined;
    } while (token);
    assert.deepEqual(seen, names);
    const deleted = await client.deleteMulti([...names, `${dir}never-existed`]);
    assert.equal(deleted.deleted.length, names.length + 1);
    assert.deepEqual((await client.list({ prefix: dir })).objects ?? [], []);
  });

  it(`accepts the queries ali-oss signs: empty values, mixed-case names, response overrides [${label}]`, async () => {
    // ali-oss V4 signs `name=` for empty values and sorts names in locale order (protocol's
    // canonical-query-ali-oss.ts); the server must verify what it actually sent.
    const client = fixture().client(mode, version);
    const key = `${prefix}query/q.txt`;
    await client.put(key, Buffer.from('q'));
    const listed = await client.listV2({ prefix: `${prefix}query/`, 'start-after': '', delimiter: '' });
    assert.deepEqual(
      listed.objects?.map((o) => o.name),
      [key],
    );
    // V1 signs only whitelisted sub-resources (§6.1) while ali-oss signs every `subres` it is given, so
    // names outside the whitelist are a V4-only case.
    const unlisted = version === 'v4' ? { Zeta: 'z', alpha: '' } : {};
    const got = await client.get(key, null, {
      subres: {
        'response-content-type': 'application/x-override',
        'response-cache-control': 'no-store',
        ...unlisted,
      },
    });
    assert.equal(got.res.headers['content-type'], 'application/x-override');
    assert.equal(got.res.headers['cache-control'], 'no-store');
  });

  it(`relays the callback reply of put with customValue, and answers CallbackFailed 203 [${label}]`, async () => {
    const client = fixture().client(mode, version);
    const app = receiver();
    const before = app.received.length;
    const key = `${prefix}cb/photo.txt`;
    const put = await client.put(key, Buffer.from('hi oss'), {
      callback: {
        url: `${app.url}/notify`,
        body: 'bucket=${bucket}&object=${object}&size=${size}&op=${operation}&uid=${x:uid}',
        customValue: { uid: '42' },
      },
    });
    assert.deepEqual(put.data, { Status: 'OK' });
    const call = app.received[before];
    assert.ok(call?.signatureVerified);
    assert.deepEqual(Object.fromEntries(new URLSearchParams(call.body.toString())), {
      bucket: apiBucket,
      object: key,
      size: '6',
      op: 'PutObject',
      uid: '42',
    });
    const closed = await findClosedPort();
    const failed = await captureAliOssError(
      client.put(`${prefix}cb/failed.txt`, Buffer.from('x'), {
        callback: { url: `http://127.0.0.1:${closed}/cb`, body: 'object=${object}' },
      }),
    );
    assert.deepEqual([failed.name, failed.status], ['CallbackFailedError', 203]);
    assert.ok(await fixture().store.head(apiBucket, `${prefix}cb/failed.txt`), 'the object stays stored');
  });

  it(`serves presigned GET and PUT URLs, with an upload callback in the V1 URL [${label}]`, async (t) => {
    // ali-oss refuses to presign V1 URLs for an IP endpoint ("can not get the object URL when endpoint
    // is IP"); its V4 URLs then carry no bucket, so they are sent with the Host its requests use.
    if (mode === 'ip-endpoint' && version === 'v1')
      return t.skip('ali-oss cannot presign V1 for an IP endpoint');
    const host: Record<string, string> =
      mode === 'ip-endpoint' ? { host: `${apiBucket}.oss-cn-hangzhou.aliyuncs.com` } : {};
    const fx = fixture();
    const client = fx.client(mode, version);
    const key = `${prefix}signed/report.txt`;
    const app = receiver();
    let putUrl: string;
    let getUrl: string;
    if (version === 'v1') {
      putUrl = client.signatureUrl(key, {
        method: 'PUT',
        expires: 300,
        'Content-Type': 'text/plain',
        callback: { url: `${app.url}/signed`, body: 'object=${object}&etag=${etag}' },
      });
      getUrl = client.signatureUrl(key, { expires: 300 });
    } else {
      putUrl = await client.signatureUrlV4('PUT', 300, { headers: { 'Content-Type': 'text/plain' } }, key);
      getUrl = await client.signatureUrlV4('GET', 300, { headers: {} }, key);
    }
    const put = await exchangeUrl(fx.port, putUrl, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain', ...host },
      body: 'signed body',
    });
    assert.equal(put.status, 200, put.body);
    if (version === 'v1') assert.equal(put.body, '{"Status":"OK"}');
    const get = await exchangeUrl(fx.port, getUrl, { headers: host });
    assert.equal(get.status, 200, get.body);
    assert.equal(get.body, 'signed body');
    fx.setClockSkewMs(10 * 60_000);
    try {
      const expired = await exchangeUrl(fx.port, getUrl, { headers: host });
      assert.equal(expired.status, 403);
      assert.match(expired.body, /<Code>AccessDenied<\/Code>/);
    } finally {
      fx.setClockSkewMs(0);
    }
  });

  it(`surfaces NoSuchKey, NoSuchBucket and SignatureDoesNotMatch to the SDK [${label}]`, async () => {
    const fx = fixture();
    const missingKey = await captureAliOssError(fx.client(mode, version).get(`${prefix}absent`));
    assert.deepEqual([missingKey.code, missingKey.status], ['NoSuchKey', 404]);
    const badSecret = fx.client(mode, version, { accessKeySecret: 'not-the-secret' });
    const mismatch = await captureAliOssError(badSecret.get(`${prefix}absent`));
    assert.deepEqual([mismatch.code, mismatch.status], ['SignatureDoesNotMatch', 403]);
    // A custom domain is bound to its bucket: there is no other bucket to name through it.
    if (mode === 'custom-domain') return;
    const noBucket = await captureAliOssError(
      fx.client(mode, version, { bucket: 'no-such-bucket' }).get('k'),
    );
    assert.deepEqual([noBucket.code, noBucket.status], ['NoSuchBucket', 404]);
  });
}
