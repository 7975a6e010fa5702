import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFormEntries } from './test-support/fake-transport.js';
import {
  appKitTicket,
  countingSource,
  file,
  harness,
  json200,
  nowMs,
} from './test-support/upload-harness.js';
import { NetworkError } from './upload-errors.js';
import { uploadFile } from './upload-file.js';

describe('uploadFile', () => {
  it('asks for a ticket with the file facts, posts the form with the file last, and relays the app reply', async () => {
    const source = countingSource();
    const h = harness([json200]);
    const result = await uploadFile(file, source, h.options);
    assert.deepEqual(result, {
      attempts: 1,
      key: 'uploads/alice/abc.png',
      uploadId: 'u-1',
      status: 'confirmed',
      httpStatus: 200,
      body: { ok: true },
      requestId: 'RID-1',
    });
    assert.deepEqual(
      source.calls.map(({ fileName, size, contentType }) => ({ fileName, size, contentType })),
      [{ fileName: 'cat.png', size: 10, contentType: 'image/png' }],
    );
    const request = h.transport.requests[0]!;
    assert.equal(request.url, 'http://127.0.0.1:9000');
    assert.deepEqual(
      readFormEntries(request.body).map(([name]) => name),
      ['key', 'success_action_status', 'callback', 'x:upload_id', 'policy', 'file'],
    );
    assert.deepEqual(
      h.progress.map((p) => p.loaded),
      [0, 5, 10],
    );
  });

  it('returns stored-unconfirmed for a 203 and does not upload again', async () => {
    const xml =
      '<Error><Code>CallbackFailed</Code><Message>Error status : 502.</Message><RequestId>R203</RequestId></Error>';
    const h = harness([{ status: 203, body: xml }, json200]);
    const result = await uploadFile(file, countingSource(), h.options);
    assert.equal(result.status, 'stored-unconfirmed');
    assert.equal(result.status === 'stored-unconfirmed' && result.message, 'Error status : 502.');
    assert.equal(h.transport.requests.length, 1);
    assert.equal(h.progress.at(-1)?.loaded, 10, 'storage had every byte');
  });

  for (const status of [400, 403]) {
    it(`does not retry a ${status} rejection`, async () => {
      const xml = `<Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy expired.</Message><RequestId>R${status}</RequestId></Error>`;
      const h = harness([{ status, body: xml }, json200]);
      const result = await uploadFile(file, countingSource(), h.options);
      assert.equal(result.status, 'rejected');
      assert.equal(result.status === 'rejected' && result.code, 'AccessDenied');
      assert.equal(h.transport.requests.length, 1);
      assert.deepEqual(h.sleeps, []);
    });
  }

  it('retries a 503 after a backoff, re-sending the whole form with the same ticket', async () => {
    const source = countingSource();
    const h = harness([
      {
        status: 503,
        body: '<Error><Code>ServiceUnavailable</Code></Error>',
        progress: [{ loaded: 900, total: 1200 }],
      },
      json200,
    ]);
    const result = await uploadFile(file, source, h.options);
    assert.equal(result.status, 'confirmed');
    assert.equal(result.attempts, 2);
    assert.deepEqual(h.sleeps, [750]);
    assert.equal(source.calls.length, 1, 'the ticket is still valid for minutes: reused');
    assert.deepEqual(
      readFormEntries(h.transport.requests[1]!.body),
      readFormEntries(h.transport.requests[0]!.body),
    );
    assert.deepEqual(
      h.progress.map((p) => [p.attempt, p.loaded]),
      [
        [1, 0],
        [1, 7],
        [2, 0],
        [2, 5],
        [2, 10],
      ],
      'progress restarts at 0 on the retry',
    );
  });

  it('retries a network error and then succeeds', async () => {
    const h = harness([{ networkError: 'ECONNRESET' }, { networkError: 'ECONNRESET' }, json200]);
    const result = await uploadFile(file, countingSource(), h.options);
    assert.equal(result.status, 'confirmed');
    assert.equal(result.attempts, 3);
    assert.deepEqual(h.sleeps, [750, 1500]);
  });

  it('reports failed/network after the last attempt gets no response', async () => {
    const h = harness([{ networkError: 'a' }, { networkError: 'b' }, { networkError: 'c' }, json200]);
    const result = await uploadFile(file, countingSource(), h.options);
    assert.equal(result.status, 'failed');
    assert.ok(result.status === 'failed');
    assert.equal(result.reason, 'network');
    assert.equal(result.attempts, 3);
    assert.ok(result.error instanceof NetworkError);
    assert.equal(result.error.message, 'c');
  });

  it('reports the last 5xx answer as rejected when every attempt got one', async () => {
    const h = harness(
      [
        { status: 500, body: '' },
        { status: 502, body: '' },
      ],
      { retry: { maxAttempts: 2, random: () => 0 } },
    );
    const result = await uploadFile(file, countingSource(), h.options);
    assert.equal(result.status === 'rejected' && result.httpStatus, 502);
    assert.equal(result.attempts, 2);
  });

  it('asks for a new ticket before a retry when the held one expires within the margin', async () => {
    let clockMs = nowMs;
    const source = countingSource([
      appKitTicket({ expire: nowMs / 1000 + 90 }),
      appKitTicket({ host: 'http://127.0.0.1:9001' }),
    ]);
    const h = harness([{ networkError: 'reset' }, json200], {
      now: () => clockMs,
      sleep: () => {
        clockMs += 45_000; // 45 s left on the first ticket: inside the 60 s margin
        return Promise.resolve();
      },
    });
    const result = await uploadFile(file, source, h.options);
    assert.equal(result.status, 'confirmed');
    assert.equal(source.calls.length, 2);
    assert.equal(h.transport.requests[1]!.url, 'http://127.0.0.1:9001');
  });
});
