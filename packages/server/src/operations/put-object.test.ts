import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import {
  startTestServer,
  testAccessKeyId,
  testAccessKeySecret,
  type TestServer,
} from '../http/testing/start-test-server.js';
import { createAliOssClient } from '../http/testing/create-ali-oss-client.js';
import { base64Md5, sendRawRequest, signedExchange, statusOfRaw } from './testing/signed-exchange.js';

const xml = new XMLParser({ parseTagValue: false });
const errorOf = (body: string): { Code: string; Message: string } =>
  (xml.parse(body) as { Error: { Code: string; Message: string } }).Error;

describe('PutObject', () => {
  let server: TestServer;
  const put = (key: string, headers: Record<string, string>, body: string | Buffer = 'hi oss') =>
    signedExchange(server.port, { method: 'PUT', bucket: 'uploads', key, headers, body });

  before(async () => {
    server = await startTestServer({ config: { buckets: ['uploads'], maxObjectBytes: 64 * 1024 } });
    await server.store.createBucket('open', 'public-read-write');
  });
  after(() => server.close());

  it('stores the body with its properties and answers ETag, CRC-64 and Content-MD5', async () => {
    const res = await put('p/props.bin', {
      'content-type': 'application/x-demo',
      'cache-control': 'max-age=60',
      'content-disposition': 'attachment; filename="a.bin"',
      'x-oss-meta-owner': 'Zoë',
      'x-oss-object-acl': 'public-read',
      'x-oss-storage-class': 'ia',
      'x-oss-server-side-encryption': 'AES256',
      'content-md5': base64Md5('hi oss'),
    });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.headers.etag, '"B22E0DC370A7F7067FACF5F75D7FA385"');
    assert.equal(res.headers['x-oss-hash-crc64ecma'], '8707180448768400016');
    assert.equal(res.headers['content-md5'], 'si4Nw3Cn9wZ/rPX3XX+jhQ==');
    assert.equal(res.body, '');
    const meta = await server.store.head('uploads', 'p/props.bin');
    assert.equal(meta?.contentType, 'application/x-demo');
    assert.deepEqual(meta?.headers, {
      'Cache-Control': 'max-age=60',
      'Content-Disposition': 'attachment; filename="a.bin"',
    });
    assert.deepEqual(meta?.userMeta, { owner: 'Zoë' });
    assert.equal(meta?.acl, 'public-read');
    assert.equal(meta?.storageClass, 'IA');
  });

  it('guesses Content-Type from the key when the header is absent', async () => {
    assert.equal((await put('p/guess.png', {})).status, 200);
    assert.equal((await server.store.head('uploads', 'p/guess.png'))?.contentType, 'image/png');
    assert.equal((await put('p/guess.unknownext', {})).status, 200);
    assert.equal(
      (await server.store.head('uploads', 'p/guess.unknownext'))?.contentType,
      'application/octet-stream',
    );
  });

  it('refuses a Content-MD5 that does not match the body (InvalidDigest) and stores nothing', async () => {
    for (const digest of [base64Md5('other'), 'not-a-digest']) {
      const res = await put('p/digest.txt', { 'content-md5': digest });
      assert.equal(res.status, 400);
      assert.equal(errorOf(res.body).Code, 'InvalidDigest');
    }
    assert.equal(await server.store.head('uploads', 'p/digest.txt'), undefined);
  });

  it('answers FileAlreadyExists for x-oss-forbid-overwrite and keeps the old object', async () => {
    assert.equal((await put('p/once.txt', {}, 'first')).status, 200);
    const again = await put('p/once.txt', { 'x-oss-forbid-overwrite': 'true' }, 'second');
    assert.equal(again.status, 409);
    assert.equal(errorOf(again.body).Code, 'FileAlreadyExists');
    assert.equal((await server.store.head('uploads', 'p/once.txt'))?.size, 5);
    assert.equal((await put('p/once.txt', { 'x-oss-forbid-overwrite': 'false' }, 'second')).status, 200);
  });

  it('refuses bodies over the size limit: declared (before reading) or chunked (as they flow)', async () => {
    const big = Buffer.alloc(64 * 1024 + 1, 'a');
    const declared = await put('p/big.bin', {}, big);
    assert.equal(declared.status, 400);
    assert.equal(errorOf(declared.body).Code, 'EntityTooLarge');
    const chunked = await sendRawRequest(
      server.port,
      `PUT /open/p/big-chunked.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n` +
        `${big.length.toString(16)}\r\n${big.toString()}\r\n0\r\n\r\n`,
    );
    assert.equal(statusOfRaw(chunked), 400, chunked);
    assert.match(chunked, /<Code>EntityTooLarge<\/Code>/);
    assert.equal(await server.store.head('open', 'p/big-chunked.bin'), undefined);
  });

  it('accepts a chunked body and answers 411 MissingContentLength when the body has no framing', async () => {
    const chunked = await sendRawRequest(
      server.port,
      'PUT /open/p/chunked.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
    );
    assert.equal(statusOfRaw(chunked), 200, chunked);
    assert.equal((await server.store.head('open', 'p/chunked.txt'))?.size, 3);
    const unframed = await sendRawRequest(
      server.port,
      'PUT /open/p/unframed.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
    );
    assert.equal(statusOfRaw(unframed), 411, unframed);
    assert.match(unframed, /<Code>MissingContentLength<\/Code>/);
  });

  it('answers NotImplemented for headers that would change the result, and 400 for bad values', async () => {
    const cases: Array<[Record<string, string>, number, string]> = [
      [{ 'x-oss-tagging': 'a=b' }, 501, 'NotImplemented'],
      [{ 'x-oss-server-side-encryption': 'KMS' }, 501, 'NotImplemented'],
      [{ 'x-oss-server-side-data-encryption': 'SM4' }, 501, 'NotImplemented'],
      [{ 'content-language': 'en' }, 501, 'NotImplemented'],
      [{ 'x-oss-server-side-encryption': 'ROT13' }, 400, 'InvalidEncryptionAlgorithmError'],
      [{ 'x-oss-object-acl': 'everyone' }, 400, 'InvalidArgument'],
      [{ 'x-oss-storage-class': 'Hot' }, 400, 'InvalidArgument'],
      [{ 'x-oss-meta-bad name': 'x' }, 400, 'InvalidArgument'],
      [{ 'x-oss-meta-big': 'x'.repeat(8 * 1024) }, 400, 'InvalidArgument'],
    ];
    for (const [headers, status, code] of cases) {
      const res = await put('p/refused.txt', headers).catch(() => undefined);
      if (res === undefined) continue; // node:http refuses to send an invalid header name itself
      assert.equal(res.status, status, JSON.stringify(headers));
      assert.equal(errorOf(res.body).Code, code, JSON.stringify(headers));
    }
    assert.equal(await server.store.head('uploads', 'p/refused.txt'), undefined);
  });

  it('ends 50 concurrent PUTs of different bodies to one key with every one 2xx and exactly one body stored (threats §C4.39)', async () => {
    const client = createAliOssClient({
      endpoint: `http://127.0.0.1:${server.port}`,
      bucket: 'uploads',
      accessKeyId: testAccessKeyId,
      accessKeySecret: testAccessKeySecret,
    });
    const bodies = Array.from({ length: 50 }, (_, i) =>
      Buffer.alloc(4096 + i * 97, String.fromCharCode(65 + (i % 26))),
    );
    const results = await Promise.all(bodies.map((body) => client.put('race/one-key.bin', body)));
    assert.ok(results.every((r) => r.res.status === 200));
    const final = await client.get('race/one-key.bin');
    assert.equal(bodies.filter((body) => body.equals(final.content)).length, 1);
  });
});
