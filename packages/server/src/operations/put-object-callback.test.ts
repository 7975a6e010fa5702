import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { startTestServer, type TestServer } from '../http/testing/start-test-server.js';
import { buildTestPng } from './post-object/testing/build-test-png.js';
import {
  replyJson,
  startCallbackReceiver,
  type CallbackReceiver,
} from './post-object/testing/callback-receiver.js';
import { base64Md5, signedExchange } from './testing/signed-exchange.js';

const xml = new XMLParser({ parseTagValue: false });
const errorOf = (body: string): { Code: string; Message: string } =>
  (xml.parse(body) as { Error: { Code: string; Message: string } }).Error;
const callbackParam = (config: object): string => Buffer.from(JSON.stringify(config)).toString('base64');

// The PutObject callback over ali-oss (relay, customValue, 203) is in object-api-ali-oss.test.ts.
describe('PutObject upload callback parameters', () => {
  let server: TestServer;
  let app: CallbackReceiver;
  const put = (key: string, headers: Record<string, string>, body: string | Buffer = 'hi oss') =>
    signedExchange(server.port, { method: 'PUT', bucket: 'uploads', key, headers, body });

  before(async () => {
    server = await startTestServer({ config: { buckets: ['uploads'] } });
    app = await startCallbackReceiver(replyJson('{"ok":true}'));
  });
  after(async () => {
    await app.close();
    await server.close();
  });

  it('refuses callback parameters in headers and the URL at once, before storing or calling back', async () => {
    const callback = callbackParam({ callbackUrl: `${app.url}/cb`, callbackBody: 'o=${object}' });
    const res = await signedExchange(server.port, {
      method: 'PUT',
      bucket: 'uploads',
      key: 'p/both.txt',
      query: [['callback', callback]],
      headers: { 'x-oss-callback': callback },
      body: 'x',
    });
    assert.equal(res.status, 400);
    assert.equal(errorOf(res.body).Code, 'InvalidArgument');
    assert.equal(await server.store.head('uploads', 'p/both.txt'), undefined);
    assert.equal(app.received.length, 0);
  });

  it('refuses an oversized or malformed callback-var with InvalidArgument before storing', async () => {
    const callback = callbackParam({ callbackUrl: `${app.url}/cb`, callbackBody: 'o=${object}' });
    const big = Buffer.from(JSON.stringify({ 'x:a': 'v'.repeat(5 * 1024) })).toString('base64');
    for (const callbackVar of [big, 'not base64!', Buffer.from('[1]').toString('base64')]) {
      const res = await put('p/var.txt', { 'x-oss-callback': callback, 'x-oss-callback-var': callbackVar });
      assert.equal(res.status, 400, callbackVar.slice(0, 20));
      assert.equal(errorOf(res.body).Code, 'InvalidArgument');
    }
    assert.equal(await server.store.head('uploads', 'p/var.txt'), undefined);
  });

  it('renders imageInfo and custom variables of a header callback (JSON body) and relays the reply', async () => {
    const png = buildTestPng(3, 2);
    const callback = callbackParam({
      callbackUrl: `${app.url}/json`,
      callbackBody:
        '{"w":${imageInfo.width},"h":${imageInfo.height},"op":${operation},"md5":${contentMd5},"v":${x:v}}',
      callbackBodyType: 'application/json',
    });
    const callbackVar = Buffer.from(JSON.stringify({ 'x:v': 'seven' })).toString('base64');
    const res = await put(
      'p/pic.png',
      { 'x-oss-callback': callback, 'x-oss-callback-var': callbackVar },
      png,
    );
    assert.equal(res.status, 200, res.body);
    assert.equal(res.body, '{"ok":true}');
    assert.equal(res.headers['content-md5'], base64Md5(png));
    const call = app.received.at(-1);
    assert.deepEqual(JSON.parse(call?.body.toString() ?? ''), {
      w: 3,
      h: 2,
      op: 'PutObject',
      md5: base64Md5(png),
      v: 'seven',
    });
  });
});
