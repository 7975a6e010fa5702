// Deterministic regressions for what post-object-fuzz.test.ts found in the PostObject front door
// (threats §B4, §C3.30): each was reachable with a form an uploader holding a valid policy can send.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildFormParts,
  buildMultipartBody,
  type FormPart,
} from '../operations/post-object/testing/build-multipart-body.js';
import {
  openHostileFixture,
  type HostileFixture,
} from '../operations/post-object/testing/hostile-fixture.js';
import { readErrorCode, sendForm } from '../operations/post-object/testing/post-form-client.js';
import { testBucket } from '../operations/post-object/testing/post-object-test-server.js';
import { sendRawRequest } from './send-raw-request.js';

describe('PostObject fuzz regressions', () => {
  let fx: HostileFixture;
  before(async () => {
    fx = await openHostileFixture();
  });
  after(() => fx.close());

  it('refuses a field in a charset busboy cannot decode with 400 MalformedPOSTRequest, not 500', async () => {
    // busboy 1.6 hands such a value over as `undefined`; it used to reach the metadata code and throw.
    const parts: FormPart[] = [
      ...buildFormParts([['key', 'fz/charset'], ...fx.signed()], undefined),
      { name: 'x-oss-meta-a', value: 'one', extraHeaders: ['Content-Type: text/plain; charset=iso-8859-2'] },
      { name: 'file', value: 'hi', filename: 'a.txt' },
    ];
    const res = await fx.postParts(parts);
    await fx.expectRefused(res, 400, 'MalformedPOSTRequest', 'fz/charset');
  });

  it(
    'answers 400 and removes the temp file when a malformed part header precedes the file and the form is not closed',
    { timeout: 20_000 },
    async () => {
      // busboy emits 'Malformed part header' but parses on: the file part in the same chunk used to be
      // accepted after the failure, its stream never ended, the request hung and the temp file stayed.
      const parts: FormPart[] = [
        ...buildFormParts([['key', 'fz/header'], ...fx.signed()], undefined),
        { raw: 'NoColonAtAll\r\n\r\nvalue' },
        { name: 'file', value: 'hello', filename: 'a.txt', contentType: 'application/octet-stream' },
      ];
      const { body, contentType } = buildMultipartBody(parts, { omitClosing: true });
      const res = await sendRawRequest({
        port: fx.server.port,
        path: `/${testBucket}`,
        contentType,
        headers: [],
        body,
        framing: 'content-length',
        timeoutMs: 10_000,
      });
      assert.equal(res.timedOut, false, 'the request hung');
      assert.equal(res.status, 400, res.text);
      assert.equal(readErrorCode(res.text), 'MalformedPOSTRequest');
      assert.equal(await fx.server.store.head(testBucket, 'fz/header'), undefined);
      await fx.waitForNoTempFiles();
      await fx.expectStillServing();
    },
  );

  it('refuses a closed form with a malformed part header before the file and leaves no temp file', async () => {
    const parts: FormPart[] = [
      ...buildFormParts([['key', 'fz/closed'], ...fx.signed()], undefined),
      { raw: 'NoColonAtAll\r\n\r\nvalue' },
      { name: 'file', value: 'hello', filename: 'a.txt' },
    ];
    const { body, contentType } = buildMultipartBody(parts);
    const res = await sendForm({ port: fx.server.port, bucket: testBucket, body, contentType });
    await fx.expectRefused(res, 400, 'MalformedPOSTRequest', 'fz/closed');
  });
});
