// Threats §C2.22/§C2.24 (size cut-off), §C5.40–41 (callback targets) and §C8.67 (reflected keys) against PostObject.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LookupFunction } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import { buildFormParts, buildMultipartBody } from './testing/build-multipart-body.js';
import { startCallbackReceiver } from './testing/callback-receiver.js';
import { openHostileFixture, type HostileFixture } from './testing/hostile-fixture.js';
import { readErrorCode, readErrorMessage, sendForm } from './testing/post-form-client.js';
import { startCustomPostObjectServer, testBucket } from './testing/post-object-test-server.js';
import { readRawStatus, repeatChunks, sendRawUpload, splitForm } from './testing/raw-http-upload.js';

const mib = 1024 * 1024;

describe('PostObject hostile inputs: size cut-off, callback targets and output encoding', () => {
  let fx: HostileFixture;
  before(async () => {
    fx = await openHostileFixture();
  });
  after(() => fx.close());

  it('cuts an over-limit file off at max+1 bytes: answers 400 and closes before the client finishes', async () => {
    const form = splitForm([['key', 'c2/cut'], ...fx.signed([['content-length-range', 0, mib]])], 64 * mib);
    const result = await sendRawUpload({
      port: fx.server.port,
      bucket: testBucket,
      contentType: form.contentType,
      contentLength: form.total,
      chunks: [form.head, ...repeatChunks(Buffer.alloc(64 * 1024, 0x61), 1024), form.tail],
    });
    assert.equal(readRawStatus(result.response), 400, result.response.slice(0, 300));
    assert.match(result.response, /<Code>EntityTooLarge<\/Code>/);
    assert.equal(result.sentEverything, false);
    assert.ok(result.bytesSent < form.total / 2, `sent ${result.bytesSent} of ${form.total} bytes`);
    assert.equal(result.closedByServer, true);
    assert.equal(await fx.server.store.head(testBucket, 'c2/cut'), undefined);
    await fx.waitForNoTempFiles();
    await fx.expectStillServing();
  });

  it("refuses a file over the server's maxObjectBytes when the policy sets no range", async () => {
    const small = await openHostileFixture({ maxObjectBytes: 1000 });
    try {
      const over = await small.post([['key', 'c2/24'], ...small.signed()], 'x'.repeat(1001));
      await small.expectRefused(over, 400, 'EntityTooLarge', 'c2/24');
      const wide = await small.post(
        [['key', 'c2/24'], ...small.signed([['content-length-range', 0, 10 * mib]])],
        'x'.repeat(1001),
      );
      await small.expectRefused(wide, 400, 'EntityTooLarge', 'c2/24');
      const atMax = await small.post([['key', 'c2/24'], ...small.signed()], 'x'.repeat(1000));
      assert.equal(atMax.status, 204, atMax.text);
    } finally {
      await small.close();
    }
  });

  it('refuses private, loopback and metadata callback targets in public-only mode with 400, connecting nowhere', async () => {
    const strict = await openHostileFixture({ callbackTargets: 'public-only' });
    const listener = await startCallbackReceiver();
    try {
      const hosts = [
        '127.0.0.1',
        '169.254.169.254',
        '0x7f.1',
        '2130706433',
        '127.1',
        '100.100.100.200',
        '10.0.0.1',
        'localhost',
        '[::1]',
        '[::ffff:127.0.0.1]',
      ];
      for (const host of hosts) {
        const callback = Buffer.from(
          JSON.stringify({ callbackUrl: `http://${host}:${listener.port}/cb`, callbackBody: 'a=${object}' }),
        ).toString('base64');
        const res = await strict.post([['key', 'c5/40'], ['callback', callback], ...strict.signed()]);
        await strict.expectRefused(res, 400, 'InvalidArgument', 'c5/40');
      }
      assert.equal(listener.connectionCount(), 0);
    } finally {
      await listener.close();
      await strict.close();
    }
  });

  it('refuses a host name that resolves to loopback at connect time (DNS rebinding) with 203, object kept', async () => {
    const strict = await openHostileFixture({ callbackTargets: 'public-only' });
    const listener = await startCallbackReceiver();
    const resolveCallbackHost: LookupFunction = (hostname, options, callback) => {
      if (options.all === true) callback(null, [{ address: '127.0.0.1', family: 4 }]);
      else callback(null, '127.0.0.1', 4);
    };
    const custom = await startCustomPostObjectServer(strict.server, { resolveCallbackHost });
    try {
      const callback = Buffer.from(
        JSON.stringify({ callbackUrl: `http://rebind.test:${listener.port}/cb`, callbackBody: 'a=1' }),
      ).toString('base64');
      const { body, contentType } = buildMultipartBody(
        buildFormParts([['key', 'c5/41'], ['callback', callback], ...strict.signed()], { content: 'x' }),
      );
      const res = await sendForm({ port: custom.port, bucket: testBucket, body, contentType });
      assert.equal(res.status, 203, res.text);
      assert.equal(readErrorCode(res.text), 'CallbackFailed');
      assert.equal(
        readErrorMessage(res.text),
        'Error status : -1. OSS can not connect to your callbackUrl, please check it.',
      );
      assert.ok(await strict.server.store.head(testBucket, 'c5/41'));
      assert.equal(listener.connectionCount(), 0);
    } finally {
      await custom.close();
      await listener.close();
      await strict.close();
    }
  });

  it('escapes hostile keys in the 201 PostResponse XML', async () => {
    const parser = new XMLParser({ parseTagValue: false, processEntities: true });
    for (const key of [
      'x/<script xmlns="http://www.w3.org/1999/xhtml">alert(1)</script>',
      'x/a&b',
      'x/]]>',
      'x/\'"<>',
    ]) {
      const res = await fx.post([['key', key], ['success_action_status', '201'], ...fx.signed()]);
      assert.equal(res.status, 201, res.text);
      assert.equal(res.headers['content-type'], 'application/xml');
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.ok(!res.text.includes('<script'), res.text);
      const parsed = (parser.parse(res.text) as { PostResponse: Record<string, string> }).PostResponse;
      assert.equal(parsed.Key, key);
    }
  });
});
