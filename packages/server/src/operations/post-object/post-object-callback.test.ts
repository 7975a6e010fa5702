import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { buildFormParts, buildMultipartBody } from './testing/build-multipart-body.js';
import { buildTestPng } from './testing/build-test-png.js';
import { replyJson } from './testing/callback-receiver.js';
import {
  callbackParam,
  openCallbackFixture,
  type CallbackFixture,
  type Fields,
} from './testing/callback-fixture.js';
import { readErrorCode, sendForm, signPolicyFields } from './testing/post-form-client.js';
import {
  fixedNowMs,
  testAccessKeyId,
  testAccessKeySecret,
  testBucket,
} from './testing/post-object-test-server.js';
import {
  describeStoreUnderTest,
  skipStoreUnderTest,
  storesUnderTest,
} from '../../store/testing/open-store-under-test.js';

const formTemplate =
  'bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}&crc64=${crc64}' +
  '&contentMd5=${contentMd5}&clientIp=${clientIp}&reqId=${reqId}&operation=${operation}&vpcId=${vpcId}' +
  '&h=${imageInfo.height}&w=${imageInfo.width}&f=${imageInfo.format}&uid=${x:uid}&missing=${x:missing}';

const jsonTemplate =
  '{"bucket":${bucket},"object":${object},"etag":${etag},"size":${size},"mimeType":${mimeType},' +
  '"height":${imageInfo.height},"width":${imageInfo.width},"format":${imageInfo.format},"crc64":${crc64},' +
  '"contentMd5":${contentMd5},"uid":${x:uid},"pic":"${imageInfo.width}x${imageInfo.height}"}';

for (const kind of storesUnderTest) {
  describe(
    `PostObject upload callback: request, signature, body and relay, over the ${describeStoreUnderTest(kind)}`,
    { skip: skipStoreUnderTest(kind) },
    () => {
      let fx: CallbackFixture;
      before(async () => {
        fx = await openCallbackFixture(5_000, { storeKind: kind });
      });
      after(() => fx.close());

      it('sends a signed form-encoded callback with every system variable and relays the reply with 200', async () => {
        const app = await fx.receiver(replyJson('{"Status":"OK","n":1}'));
        const res = await fx.postWithCallback(
          'cb/form.txt',
          { callbackUrl: `${app.url}/notify?tenant=a%2Fb`, callbackBody: formTemplate },
          [['x:uid', '42']],
        );
        assert.equal(res.status, 200, res.text);
        assert.equal(res.text, '{"Status":"OK","n":1}');
        assert.equal(res.headers['content-type'], 'application/json');
        assert.equal(res.headers.etag, '"B22E0DC370A7F7067FACF5F75D7FA385"');
        assert.equal(res.headers['x-oss-hash-crc64ecma'], '8707180448768400016');
        assert.equal(res.headers['content-md5'], 'si4Nw3Cn9wZ/rPX3XX+jhQ==');
        const [call] = app.received;
        assert.ok(call);
        assert.equal(call.method, 'POST');
        assert.equal(call.target, '/notify?tenant=a%2Fb');
        assert.equal(call.signatureVerified, true);
        assert.equal(call.publicKeyUrl, fx.server.deps.callbackKey.publicKeyUrl);
        assert.equal(call.headers['content-type'], 'application/x-www-form-urlencoded');
        assert.equal(call.headers['content-md5'], createHash('md5').update(call.body).digest('base64'));
        assert.equal(call.headers['x-oss-request-id'], res.headers['x-oss-request-id']);
        assert.equal(call.headers['x-oss-bucket'], testBucket);
        assert.equal(call.headers.host, `127.0.0.1:${app.port}`);
        const form = new URLSearchParams(call.body.toString('utf8'));
        assert.deepEqual(Object.fromEntries(form), {
          bucket: testBucket,
          object: 'cb/form.txt',
          etag: 'B22E0DC370A7F7067FACF5F75D7FA385',
          size: '6',
          mimeType: 'text/plain',
          crc64: '8707180448768400016',
          contentMd5: 'si4Nw3Cn9wZ/rPX3XX+jhQ==',
          clientIp: '127.0.0.1',
          reqId: String(res.headers['x-oss-request-id']),
          operation: 'PostObject',
          vpcId: '',
          h: '',
          w: '',
          f: '',
          uid: '42',
          missing: '',
        });
      });

      it('calls back for a V4-signed form as for a V1 one', async () => {
        const app = await fx.receiver(replyJson('{"v":4}'));
        const v4 = signPolicyFields({
          version: 'v4',
          accessKeyId: testAccessKeyId,
          secret: testAccessKeySecret,
          nowMs: fixedNowMs,
          conditions: [{ bucket: testBucket }],
        });
        const fields: Fields = [
          ['key', 'cb/v4.txt'],
          [
            'callback',
            callbackParam({ callbackUrl: app.url, callbackBody: 'object=${object}&size=${size}' }),
          ],
          ...v4,
        ];
        const { body, contentType } = buildMultipartBody(buildFormParts(fields, { content: 'hi oss' }));
        const res = await sendForm({ port: fx.server.port, bucket: testBucket, body, contentType });
        assert.equal(res.status, 200, res.text);
        assert.equal(res.text, '{"v":4}');
        assert.equal(app.received[0]?.body.toString(), 'object=cb%2Fv4.txt&size=6');
        assert.equal(app.received[0]?.signatureVerified, true);
      });

      it('renders a JSON callback body with typed values and imageInfo read from a real PNG', async () => {
        const app = await fx.receiver();
        const png = buildTestPng(7, 3);
        const { body, contentType } = buildMultipartBody(
          buildFormParts(
            [
              ['key', 'cb/pic.png'],
              [
                'callback',
                callbackParam({
                  callbackUrl: app.url,
                  callbackBody: jsonTemplate,
                  callbackBodyType: 'application/json',
                }),
              ],
              ['x:uid', 'u-"1"'],
              ...fx.signedV1(),
            ],
            { content: png, contentType: 'image/png', filename: 'pic.png' },
          ),
        );
        const res = await sendForm({ port: fx.server.port, bucket: testBucket, body, contentType });
        assert.equal(res.status, 200, res.text);
        const [call] = app.received;
        assert.ok(call);
        assert.equal(call.signatureVerified, true);
        assert.equal(call.headers['content-type'], 'application/json');
        const md5 = createHash('md5').update(png).digest();
        assert.deepEqual(JSON.parse(call.body.toString('utf8')), {
          bucket: testBucket,
          object: 'cb/pic.png',
          etag: md5.toString('hex').toUpperCase(),
          size: png.length,
          mimeType: 'image/png',
          height: 3,
          width: 7,
          format: 'png',
          crc64: res.headers['x-oss-hash-crc64ecma'],
          contentMd5: md5.toString('base64'),
          uid: 'u-"1"',
          pic: '7x3',
        });
      });

      it('lets the callback result replace success_action_status and success_action_redirect', async () => {
        const app = await fx.receiver(replyJson('{"ok":true}'));
        const res = await fx.postWithCallback(
          'cb/override.txt',
          { callbackUrl: app.url, callbackBody: 'k=${object}' },
          [
            ['success_action_status', '201'],
            ['success_action_redirect', 'https://app.example/done'],
          ],
        );
        assert.equal(res.status, 200);
        assert.equal(res.text, '{"ok":true}');
        assert.equal(res.headers.location, undefined);
      });

      it('sends callbackHost as the Host header', async () => {
        const app = await fx.receiver();
        const res = await fx.postWithCallback('cb/host.txt', {
          callbackUrl: app.url,
          callbackHost: 'app.example.com',
          callbackBody: 'a=1',
        });
        assert.equal(res.status, 200, res.text);
        assert.equal(app.received[0]?.headers.host, 'app.example.com');
        assert.equal(app.received[0]?.signatureVerified, true);
      });

      it('keeps a form-encoded body injection-proof: a key full of & and = stays one value', async () => {
        const app = await fx.receiver();
        const key = 'inj/a&size=0&x:role=admin';
        const res = await fx.postWithCallback(key, {
          callbackUrl: app.url,
          callbackBody: 'object=${object}&size=${size}&x:role=${x:role}',
        });
        assert.equal(res.status, 200, res.text);
        const form = new URLSearchParams(app.received[0]?.body.toString('utf8'));
        assert.deepEqual(form.getAll('object'), [key]);
        assert.deepEqual(form.getAll('size'), ['6']);
        assert.deepEqual(form.getAll('x:role'), ['']);
        assert.equal(app.received[0]?.signatureVerified, true);
      });

      it('keeps a JSON body injection-proof: a key that closes the string stays one string', async () => {
        const app = await fx.receiver();
        const key = 'inj/","size":0,"x:role":"admin';
        const res = await fx.postWithCallback(key, {
          callbackUrl: app.url,
          callbackBody: '{"object":${object},"size":${size}}',
          callbackBodyType: 'application/json',
        });
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(JSON.parse(app.received[0]?.body.toString('utf8') ?? ''), { object: key, size: 6 });
        assert.equal(app.received[0]?.signatureVerified, true);
      });

      it('refuses a malformed callback parameter with 400 before storing or calling anything', async () => {
        const app = await fx.receiver();
        const cases: Array<[string, string]> = [
          ['not base64', '%%%'],
          ['not JSON', Buffer.from('{nope').toString('base64')],
          ['six URLs', callbackParam({ callbackUrl: Array(6).fill(app.url).join(';'), callbackBody: 'a=1' })],
          ['a bad port', callbackParam({ callbackUrl: '127.0.0.1:abc', callbackBody: 'a=1' })],
          ['an empty body', callbackParam({ callbackUrl: app.url, callbackBody: '' })],
          [
            'a bad body type',
            callbackParam({ callbackUrl: app.url, callbackBody: 'a', callbackBodyType: 'text/xml' }),
          ],
          [
            'a CR/LF host',
            callbackParam({ callbackUrl: app.url, callbackBody: 'a', callbackHost: 'a\r\nX-Evil: 1' }),
          ],
          ['an unknown variable', callbackParam({ callbackUrl: app.url, callbackBody: 'a=${unknown}' })],
        ];
        for (const [name, value] of cases) {
          const key = `cb/bad-${name.replace(/\W+/g, '-')}`;
          const res = await fx.post([
            ['key', key],
            ['callback', value],
          ]);
          assert.equal(res.status, 400, name);
          assert.equal(readErrorCode(res.text), 'InvalidArgument', name);
          assert.equal(await fx.server.store.head(testBucket, key), undefined, name);
        }
        assert.equal(app.connectionCount(), 0);
      });
    },
  );
}
