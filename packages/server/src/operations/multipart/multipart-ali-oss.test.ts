// The multipart API driven by the official ali-oss client, over the filesystem store and the gateway
// store (S3 backend): managed parallel upload with progress and callback, listings, abort, hand-made parts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { crc64Ecma } from '@upcall/protocol';
import { startTestServer, type TestServer } from '../../http/testing/start-test-server.js';
import { startCallbackReceiver, type CallbackReceiver } from '../post-object/testing/callback-receiver.js';
import {
  describeStoreUnderTest,
  openStoreUnderTest,
  skipStoreUnderTest,
  storesUnderTest,
  type StoreUnderTest,
} from '../../store/testing/open-store-under-test.js';
import {
  buildTestBytes,
  createMultipartClient,
  kib,
  mib,
  testBucket,
  type AliOssMultipartClient,
  type SignatureVersion,
} from './testing/multipart-test-kit.js';

const versions: readonly SignatureVersion[] = ['v1', 'v4'];

for (const kind of storesUnderTest) {
  describe(
    `multipart upload with the official ali-oss client over the ${describeStoreUnderTest(kind)}`,
    { skip: skipStoreUnderTest(kind) },
    () => {
      let server: TestServer;
      let opened: StoreUnderTest;
      let receiver: CallbackReceiver;
      const clients = {} as Record<SignatureVersion, AliOssMultipartClient>;

      before(async () => {
        opened = await openStoreUnderTest(kind);
        server = await startTestServer({ store: opened.store, config: { buckets: [testBucket] } });
        receiver = await startCallbackReceiver();
        for (const version of versions) clients[version] = createMultipartClient(server, version);
      });
      after(async () => {
        await receiver.close();
        await server.close();
        await opened.cleanup();
      });

      for (const version of versions) {
        it(`uploads 12 MiB in parallel parts with progress and a verified callback (${version.toUpperCase()})`, async () => {
          const key = `managed-${version}/movie & notes.bin`;
          const bytes = buildTestBytes(12 * mib + 12_345, version === 'v1' ? 7 : 8);
          const progress: number[] = [];
          const before = receiver.received.length;
          const result = await clients[version].multipartUpload(key, bytes, {
            parallel: 3,
            partSize: mib,
            progress: (fraction) => void progress.push(fraction),
            // ali-oss sends these headers on every step (Initiate, each part, Complete); Initiate's count.
            meta: { owner: 'eric' },
            mime: 'video/mp4',
            callback: {
              url: `${receiver.url}/notify?from=multipart`,
              body: 'object=${object}&size=${size}&etag=${etag}&crc64=${crc64}&md5=${contentMd5}&op=${operation}&v=${x:v}',
              customValue: { v: 'hello' },
            },
          });
          // The application's JSON replaces the XML result (§9.6); the ETag header stays.
          assert.deepEqual(result.data, { Status: 'OK' });
          assert.match(result.etag, /^"[0-9A-F]{32}-13"$/);
          assert.equal(progress.at(-1), 1);
          assert.deepEqual(
            [...progress].sort((a, b) => a - b),
            progress,
            'progress never goes back',
          );
          assert.ok(progress.length >= 13, `progress reported per part: ${progress.length}`);

          assert.equal(receiver.received.length, before + 1);
          const callback = receiver.received.at(-1)!;
          assert.equal(callback.signatureVerified, true);
          assert.equal(callback.target, '/notify?from=multipart');
          const fields = new URLSearchParams(callback.body.toString('utf8'));
          assert.equal(fields.get('object'), key);
          assert.equal(fields.get('size'), String(bytes.length));
          assert.equal(`"${fields.get('etag')}"`, result.etag);
          assert.equal(fields.get('crc64'), crc64Ecma(bytes));
          assert.equal(fields.get('md5'), '');
          assert.equal(fields.get('op'), 'CompleteMultipartUpload');
          assert.equal(fields.get('v'), 'hello');

          const got = await clients[version].get(key);
          assert.ok(got.content.equals(bytes), 'bytes read back are identical');
          assert.equal(got.res.headers.etag, result.etag);
          assert.equal(got.res.headers['x-oss-hash-crc64ecma'], crc64Ecma(bytes));
          assert.equal(got.res.headers['x-oss-meta-owner'], 'eric');
          assert.equal(got.res.headers['content-type'], 'video/mp4');
        });

        it(`lists parts and uploads, then aborts (${version.toUpperCase()})`, async () => {
          const client = clients[version];
          const key = `listed-${version}/a.bin`;
          const bytes = buildTestBytes(300 * kib, 3);
          const { uploadId } = await client.initMultipartUpload(key);
          const other = await client.initMultipartUpload(`listed-${version}/b.bin`);
          const part2 = await client.uploadPart(key, uploadId, 2, bytes, 100 * kib, 300 * kib);
          const part1 = await client.uploadPart(key, uploadId, 1, bytes, 0, 100 * kib);

          const listed = await client.listParts(key, uploadId, { 'max-parts': 1 });
          // ali-oss hands over xml2js's shape: a single <Part> is an object, not an array (as with real OSS).
          assert.deepEqual(
            [listed.parts].flat().map((p) => [p.PartNumber, p.ETag, p.Size]),
            [['1', part1.etag, String(100 * kib)]],
          );
          assert.equal(String(listed.isTruncated), 'true');
          const rest = await client.listParts(key, uploadId, {
            'part-number-marker': listed.nextPartNumberMarker,
          });
          assert.deepEqual(
            [rest.parts].flat().map((p) => [p.PartNumber, p.ETag]),
            [['2', part2.etag]],
          );

          const uploads = await client.listUploads({ prefix: `listed-${version}/` });
          assert.deepEqual(
            uploads.uploads.map((u) => [u.name, u.uploadId]),
            [
              [key, uploadId],
              [`listed-${version}/b.bin`, other.uploadId],
            ],
          );
          assert.equal(uploads.isTruncated, false);

          const aborted = await client.abortMultipartUpload(key, uploadId);
          assert.equal(aborted.res.status, 204);
          const after = await client.listUploads({ prefix: `listed-${version}/` });
          assert.deepEqual(
            after.uploads.map((u) => u.uploadId),
            [other.uploadId],
          );
          assert.equal(await server.store.multipart.getUpload(testBucket, key, uploadId), undefined);
        });

        it(`completes parts uploaded by hand out of order, with a retried part (${version.toUpperCase()})`, async () => {
          const client = clients[version];
          const key = `by-hand-${version}/data.bin`;
          const bytes = buildTestBytes(250 * kib, 11);
          const stale = buildTestBytes(100 * kib, 99);
          const { uploadId } = await client.initMultipartUpload(key, { mime: 'application/x-test' });
          const part3 = await client.uploadPart(key, uploadId, 3, bytes, 200 * kib, 250 * kib);
          await client.uploadPart(key, uploadId, 1, stale, 0, 100 * kib);
          const part2 = await client.uploadPart(key, uploadId, 2, bytes, 100 * kib, 200 * kib);
          // The retry replaces part 1 and its ETag.
          const part1 = await client.uploadPart(key, uploadId, 1, bytes, 0, 100 * kib);
          const done = await client.completeMultipartUpload(key, uploadId, [
            { number: 3, etag: part3.etag },
            { number: 1, etag: part1.etag },
            { number: 2, etag: part2.etag },
          ]);
          assert.match(done.etag, /^"[0-9A-F]{32}-3"$/);
          assert.equal(done.res.headers['x-oss-hash-crc64ecma'], crc64Ecma(bytes));
          const got = await client.get(key);
          assert.ok(got.content.equals(bytes));
          assert.equal(got.res.headers['content-type'], 'application/x-test');
        });
      }
    },
  );
}
