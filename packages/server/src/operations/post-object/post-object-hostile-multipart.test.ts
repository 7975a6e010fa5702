// Threats §C3 (multipart framing, parser abuse, aborts, deadlines) against PostObject.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  buildFormParts,
  buildMultipartBody,
  defaultBoundary,
  type FormPart,
} from './testing/build-multipart-body.js';
import { openHostileFixture, type HostileFixture } from './testing/hostile-fixture.js';
import { readErrorCode, sendForm } from './testing/post-form-client.js';
import { startCustomPostObjectServer, testBucket } from './testing/post-object-test-server.js';
import { openUpload, readRawStatus, splitForm } from './testing/raw-http-upload.js';

const mib = 1024 * 1024;

describe('PostObject hostile inputs: multipart framing, limits, aborts and deadlines', () => {
  let fx: HostileFixture;
  before(async () => {
    fx = await openHostileFixture();
  });
  after(() => fx.close());

  it('refuses a body that is not multipart/form-data, or has no usable boundary, with 400', async () => {
    const cases: Array<[string, string]> = [
      ['text/plain', 'RequestIsNotMultiPartContent'],
      ['application/x-www-form-urlencoded', 'RequestIsNotMultiPartContent'],
      ['multipart/form-data', 'MalformedPOSTRequest'],
      [`multipart/form-data; boundary=${'b'.repeat(71)}`, 'MalformedPOSTRequest'],
      ['multipart/form-data; boundary=', 'MalformedPOSTRequest'],
    ];
    const { body } = buildMultipartBody(buildFormParts([['key', 'c3/27'], ...fx.signed()], { content: 'x' }));
    for (const [contentType, code] of cases) {
      const res = await sendForm({ port: fx.server.port, bucket: testBucket, body, contentType });
      await fx.expectRefused(res, 400, code, 'c3/27');
    }
  });

  it('refuses a form without its closing boundary with 400 MalformedPOSTRequest', async () => {
    const { body, contentType } = buildMultipartBody(
      buildFormParts([['key', 'c3/28'], ...fx.signed()], { content: 'x'.repeat(100_000) }),
      { omitClosing: true },
    );
    const res = await sendForm({ port: fx.server.port, bucket: testBucket, body, contentType });
    await fx.expectRefused(res, 400, 'MalformedPOSTRequest', 'c3/28');
  });

  it('refuses a form without a file, or with the file under another name, with IncorrectNumberOfFilesInPOSTRequest', async () => {
    const noFile = await fx.postParts(buildFormParts([['key', 'c3/32'], ...fx.signed()], undefined));
    await fx.expectRefused(noFile, 400, 'IncorrectNumberOfFilesInPOSTRequest', 'c3/32');
    const otherName = await fx.postParts([
      ...buildFormParts([['key', 'c3/32'], ...fx.signed()], undefined),
      { name: 'upload', value: 'x', filename: 'a.txt' },
    ]);
    await fx.expectRefused(otherName, 400, 'IncorrectNumberOfFilesInPOSTRequest', 'c3/32');
    const fileAsField = await fx.postParts([
      ...buildFormParts([['key', 'c3/32'], ...fx.signed()], undefined),
      { name: 'file', value: 'x' },
    ]);
    await fx.expectRefused(fileAsField, 400, 'IncorrectNumberOfFilesInPOSTRequest', 'c3/32');
  });

  it('stores an empty file sent as browsers send an empty file input (filename="", octet-stream)', async () => {
    const emptyFile: FormPart = {
      name: 'file',
      value: '',
      filename: '',
      contentType: 'application/octet-stream',
    };
    const res = await fx.postParts([
      ...buildFormParts([['key', 'c3/empty'], ...fx.signed()], undefined),
      emptyFile,
    ]);
    assert.equal(res.status, 204, res.text);
    assert.equal((await fx.server.store.head(testBucket, 'c3/empty'))?.size, 0);
  });

  it('refuses part-header tricks without crashing: empty or missing name, junk header lines', async () => {
    const signedParts = buildFormParts([['key', 'c3/30'], ...fx.signed()], undefined);
    const file: FormPart = { name: 'file', value: 'x', filename: 'a' };
    const tricks: FormPart[] = [
      { raw: 'Content-Disposition: form-data; name=""\r\n\r\nv' },
      { raw: 'Content-Disposition: form-data\r\n\r\nv' },
      { raw: ' Content-Disposition: form-data; name="x"\r\n\r\nv' },
      { raw: `Content-Disposition: form-data; name="x"\r\n${'a'.repeat(80 * 1024)}\r\n\r\nv` },
    ];
    for (const trick of tricks) {
      const res = await fx.postParts([...signedParts, trick, file]);
      assert.equal(res.status, 400, res.text);
      assert.equal(readErrorCode(res.text), 'MalformedPOSTRequest');
      assert.equal(await fx.server.store.head(testBucket, 'c3/30'), undefined);
      await fx.waitForNoTempFiles();
    }
    await fx.expectStillServing();
  });

  it('treats __proto__ and constructor as ordinary, ignored field names', async () => {
    const res = await fx.post([
      ['key', 'c3/proto'],
      ['__proto__', 'polluted'],
      ['constructor', 'x'],
      ...fx.signed(),
    ]);
    assert.equal(res.status, 204, res.text);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('refuses 10 000 tiny parts before the file with 400 MaxPOSTPreDataLengthExceeded', async () => {
    const many: FormPart[] = Array.from({ length: 10_000 }, (_, i) => ({ name: `f${i}`, value: 'v' }));
    const res = await fx.postParts([
      ...buildFormParts([['key', 'c3/31a'], ...fx.signed()], undefined),
      ...many,
      { name: 'file', value: 'x', filename: 'a' },
    ]);
    await fx.expectRefused(res, 400, 'MaxPOSTPreDataLengthExceeded', 'c3/31a');
  });

  it('refuses a field value over 2 MiB and a field name over 256 bytes with 400 FieldItemTooLong', async () => {
    const bigValue = await fx.post([
      ['key', 'c3/31b'],
      ['x-oss-meta-pad', 'v'.repeat(2 * mib + 1)],
      ...fx.signed(),
    ]);
    await fx.expectRefused(bigValue, 400, 'FieldItemTooLong', 'c3/31b');
    const bigName = await fx.post([['key', 'c3/31b'], ['n'.repeat(1024), 'v'], ...fx.signed()]);
    await fx.expectRefused(bigName, 400, 'FieldItemTooLong', 'c3/31b');
  });

  it('refuses more than the pre-file cap spread over several fields with 400 MaxPOSTPreDataLengthExceeded', async () => {
    const pads: Array<[string, string]> = [1, 2, 3].map((i) => [`pad${i}`, 'p'.repeat(mib)]);
    const res = await fx.post([['key', 'c3/31c'], ...pads, ...fx.signed()]);
    await fx.expectRefused(res, 400, 'MaxPOSTPreDataLengthExceeded', 'c3/31c');
  });

  it('refuses a Content-MD5 that does not match the whole body with 400 InvalidDigest', async () => {
    const { body, contentType } = buildMultipartBody(
      buildFormParts([['key', 'c3/33'], ...fx.signed()], { content: 'x' }),
    );
    const fileOnlyMd5 = createHash('md5').update('x').digest('base64');
    for (const md5 of [fileOnlyMd5, 'not-base64']) {
      const res = await sendForm({
        port: fx.server.port,
        bucket: testBucket,
        body,
        contentType,
        headers: { 'content-md5': md5 },
      });
      await fx.expectRefused(res, 400, 'InvalidDigest', 'c3/33');
    }
  });

  it('leaves nothing behind when the client resets the connection mid-file', async () => {
    const form = splitForm([['key', 'c3/29'], ...fx.signed()], 8 * mib);
    const socket = await openUpload({
      port: fx.server.port,
      bucket: testBucket,
      contentType: form.contentType,
      contentLength: form.total,
    });
    socket.on('error', () => undefined);
    socket.write(form.head);
    socket.write(Buffer.alloc(2 * mib, 0x62));
    for (let i = 0; i < 200 && (await fx.fs.listTempFiles()).length === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal((await fx.fs.listTempFiles()).length, 1, 'the upload was being staged');
    socket.resetAndDestroy();
    await fx.waitForNoTempFiles();
    assert.equal(await fx.server.store.head(testBucket, 'c3/29'), undefined);
    await fx.expectStillServing();
  });

  it('answers 400 when the fields before the file do not arrive within the pre-file deadline', async () => {
    const custom = await startCustomPostObjectServer(fx.server, { limits: { preFileDeadlineMs: 200 } });
    try {
      const socket = await openUpload({
        port: custom.port,
        bucket: testBucket,
        contentType: `multipart/form-data; boundary=${defaultBoundary}`,
        contentLength: 1_000_000,
      });
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('error', () => undefined);
      socket.write(`--${defaultBoundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\nslow`);
      const started = Date.now();
      await new Promise((resolve) => socket.once('close', resolve));
      const response = Buffer.concat(chunks).toString('utf8');
      assert.equal(readRawStatus(response), 400, response);
      assert.match(response, /<Code>MalformedPOSTRequest<\/Code>/);
      assert.ok(Date.now() - started < 2000);
    } finally {
      await custom.close();
    }
    await fx.expectStillServing();
  });
});
