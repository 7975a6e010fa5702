// Active content types on GetObject/HeadObject (threats §C2 item 26, operations/active-content.ts): an
// uploader free to choose Content-Type stores `text/html` or `image/svg+xml`; the server sends it with
// `nosniff` and, by default, `Content-Disposition: attachment` so a browser downloads it rather than
// running it on the storage origin. `--active-content-disposition inline` turns that off.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  putTestObject,
  startTestServer,
  testAccessKeyId,
  testAccessKeySecret,
  type TestServer,
} from '../../packages/server/src/http/testing/start-test-server.js';
import { getObject, headObject, sendSigned, type OssTarget } from './support/oss-requests.js';

const stored: ReadonlyArray<readonly [string, string, Record<string, string>]> = [
  ['page.html', 'text/html', {}],
  ['logo.svg', 'image/svg+xml', {}],
  ['named.html', 'text/html; charset=utf-8', { 'Content-Disposition': 'inline; filename="named.html"' }],
  ['feed.xml', 'application/rss+xml', {}],
  ['photo.png', 'image/png', {}],
  ['notes.txt', 'text/plain', { 'Content-Disposition': 'inline' }],
];

async function startWith(mode: 'attachment' | 'inline' | undefined): Promise<TestServer> {
  const server = await startTestServer({
    config: mode === undefined ? {} : { activeContentDisposition: mode },
  });
  for (const [key, contentType, headers] of stored) {
    await putTestObject(server.store, 'uploads', key, `<svg onload="alert(1)"/>${key}`, {
      contentType,
      headers,
    });
  }
  return server;
}

const targetOf = (server: TestServer): OssTarget => ({
  port: server.port,
  bucket: 'uploads',
  accessKeyId: testAccessKeyId,
  accessKeySecret: testAccessKeySecret,
});

describe('active content on GetObject and HeadObject (threats §C2.26)', () => {
  let byDefault: TestServer;
  let inline: TestServer;
  before(async () => {
    byDefault = await startWith(undefined);
    inline = await startWith('inline');
  });
  after(async () => {
    await byDefault.close();
    await inline.close();
  });

  it('sends active types as attachments by default, keeping a stored file name, with nosniff', async () => {
    const expected: Record<string, string | undefined> = {
      'page.html': 'attachment',
      'logo.svg': 'attachment',
      'named.html': 'attachment; filename="named.html"',
      'feed.xml': 'attachment',
      'photo.png': undefined,
      'notes.txt': 'inline',
    };
    for (const [key] of stored) {
      for (const send of [getObject, headObject]) {
        const res = await send(targetOf(byDefault), key);
        assert.equal(res.status, 200, key);
        assert.equal(res.headers['content-disposition'], expected[key], `${send.name} ${key}`);
        assert.equal(res.headers['x-content-type-options'], 'nosniff');
      }
    }
  });

  it('honours a disposition chosen by a signed response-content-disposition', async () => {
    const res = await sendSigned(targetOf(byDefault), {
      method: 'GET',
      key: 'page.html',
      query: [['response-content-disposition', 'inline']],
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-disposition'], 'inline');
  });

  it('forces attachment when a signed response-content-type makes a passive object active', async () => {
    const res = await sendSigned(targetOf(byDefault), {
      method: 'GET',
      key: 'photo.png',
      query: [['response-content-type', 'text/html']],
    });
    assert.equal(res.headers['content-type'], 'text/html');
    assert.equal(res.headers['content-disposition'], 'attachment');
  });

  it('serves the stored headers unchanged with --active-content-disposition inline', async () => {
    const page = await getObject(targetOf(inline), 'page.html');
    assert.equal(page.headers['content-disposition'], undefined);
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    const named = await getObject(targetOf(inline), 'named.html');
    assert.equal(named.headers['content-disposition'], 'inline; filename="named.html"');
  });
});
