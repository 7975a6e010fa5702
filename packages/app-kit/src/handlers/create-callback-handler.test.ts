// The callback handler behind the node:http adapter, fed real callbacks rendered and signed the way the
// storage server does it (protocol's renderCallbackBody + buildCallbackRequest, emulator test key).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { buildSignedCallback, sendCallbackRequest } from '../test-support/build-signed-callback.js';
import {
  harnessKey as key,
  withCallbackHarness,
  type CallbackServingPath,
} from '../test-support/callback-harness.js';
import { sendHttp } from '../test-support/serve-on-loopback.js';

for (const path of ['direct', 'web objects'] as const satisfies CallbackServingPath[]) {
  describe(`createCallbackHandler (toNodeHandler, ${path})`, () => {
    const withHarness: typeof withCallbackHarness = (fn, options = {}) =>
      withCallbackHarness(fn, { ...options, path });

    it('confirms a genuine callback and replies 200 JSON with an explicit Content-Length and no BOM', () =>
      withHarness(async ({ server, store, issue }) => {
        const ticket = await issue();
        const signed = await buildSignedCallback(
          ticket,
          { bucket: 'examplebucket', size: 7, etag: 'ABC' },
          key,
        );
        const response = await sendCallbackRequest(signed, server.port);
        assert.equal(response.status, 200);
        assert.equal(response.headers['content-type'], 'application/json');
        assert.equal(response.headers['content-length'], String(response.body.length));
        assert.notDeepEqual([...response.body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
        assert.deepEqual(JSON.parse(response.body.toString('utf8')), {
          status: 'OK',
          uploadId: ticket.uploadId,
          size: 7,
          中文: '✓',
        });
        const record = await store.get(ticket.uploadId);
        assert.equal(record?.status, 'confirmed');
        assert.equal(record?.size, 7);
        assert.equal(record?.etag, 'ABC');
      }));

    it('parses a JSON-bodied callback the same way', () =>
      withHarness(async ({ server, store, issue }) => {
        const ticket = await issue({ bodyType: 'application/json' });
        const signed = await buildSignedCallback(
          ticket,
          { bucket: 'examplebucket', imageInfo: { width: 4, height: 3, format: 'png' } },
          key,
        );
        const response = await sendCallbackRequest(signed, server.port);
        assert.equal(response.status, 200, response.body.toString());
        assert.equal((await store.get(ticket.uploadId))?.status, 'confirmed');
      }));

    it('answers replays of a genuine callback with the same reply and changes nothing', () =>
      withHarness(async ({ server, store, hookCalls, issue }) => {
        const ticket = await issue();
        const signed = await buildSignedCallback(ticket, { bucket: 'examplebucket' }, key);
        const first = await sendCallbackRequest(signed, server.port);
        const before = await store.get(ticket.uploadId);
        const again = await Promise.all(
          Array.from({ length: 10 }, () => sendCallbackRequest(signed, server.port)),
        );
        for (const response of again) {
          assert.equal(response.status, 200);
          assert.deepEqual(response.body, first.body);
        }
        assert.deepEqual(await store.get(ticket.uploadId), before);
        assert.deepEqual(hookCalls, [ticket.uploadId]);
      }));

    it('keeps exactly one confirmation when the same callback arrives many times at once', () =>
      withHarness(async ({ server, store, issue }) => {
        const ticket = await issue();
        const signed = await buildSignedCallback(ticket, { bucket: 'examplebucket' }, key);
        const responses = await Promise.all(
          Array.from({ length: 25 }, () => sendCallbackRequest(signed, server.port)),
        );
        const bodies = new Set(responses.map((response) => response.body.toString('utf8')));
        assert.deepEqual(
          responses.map((response) => response.status),
          responses.map(() => 200),
        );
        assert.equal(bodies.size, 1);
        assert.equal((await store.list()).length, 1);
        assert.equal((await store.get(ticket.uploadId))?.replyJson, [...bodies][0]);
      }));

    it('refuses a second upload under a used id and a forged signature, leaving records alone', () =>
      withHarness(async ({ server, store, issue }) => {
        const ticket = await issue();
        await sendCallbackRequest(
          await buildSignedCallback(ticket, { bucket: 'examplebucket', etag: 'E1' }, key),
          server.port,
        );
        const second = await sendCallbackRequest(
          await buildSignedCallback(ticket, { bucket: 'examplebucket', etag: 'E2' }, key),
          server.port,
        );
        assert.equal(second.status, 409);
        assert.deepEqual(JSON.parse(second.body.toString('utf8')), { error: 'replayed' });
        assert.equal((await store.get(ticket.uploadId))?.etag, 'E1');

        const other = await issue();
        const attacker = generateKeyPairSync('rsa', { modulusLength: 1024 });
        const forged = await buildSignedCallback(
          other,
          { bucket: 'examplebucket' },
          {
            privateKey: attacker.privateKey,
            publicKeyPem: '',
            publicKeyUrl: key.publicKeyUrl, // claims the trusted URL, but the key does not match
          },
        );
        const refused = await sendCallbackRequest(forged, server.port);
        assert.equal(refused.status, 403);
        assert.deepEqual(JSON.parse(refused.body.toString('utf8')), { error: 'bad-signature' });
        assert.equal((await store.get(other.uploadId))?.status, 'pending');
      }));

    it('answers unknown upload ids with 400', () =>
      withHarness(async ({ server, issue }) => {
        const ticket = await issue();
        const signed = await buildSignedCallback(
          { ...ticket, fields: { ...ticket.fields, 'x:upload_id': 'never-issued' } },
          { bucket: 'examplebucket' },
          key,
        );
        const response = await sendCallbackRequest(signed, server.port);
        assert.equal(response.status, 400);
        assert.deepEqual(JSON.parse(response.body.toString('utf8')), { error: 'unknown-upload' });
      }));

    it('refuses oversize bodies with 413, other content types with 415 and non-POST requests with 405', () =>
      withHarness(async ({ server, issue }) => {
        const ticket = await issue();
        const signed = await buildSignedCallback(ticket, { bucket: 'examplebucket' }, key);
        const big = await sendCallbackRequest(signed, server.port, { body: Buffer.alloc(65 * 1024, 0x61) });
        assert.equal(big.status, 413);
        const text = await sendCallbackRequest(signed, server.port, {
          headers: { 'Content-Type': 'text/plain' },
        });
        assert.equal(text.status, 415);
        const get = await sendHttp(server.port, 'GET', signed.url.requestTarget);
        assert.equal(get.status, 405);
      }));

    it('verifies against the raw request target, percent-encoded path and query included', () =>
      withHarness(async ({ server, store, issue }) => {
        const ticket = await issue({}, '/oss/%E4%B8%AD%20cb?next=%2Fhome&q=a+b');
        const signed = await buildSignedCallback(ticket, { bucket: 'examplebucket' }, key);
        const response = await sendCallbackRequest(signed, server.port);
        assert.equal(response.status, 200, response.body.toString());
        assert.equal((await store.get(ticket.uploadId))?.status, 'confirmed');
      }));
  });
}
