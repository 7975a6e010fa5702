import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sleepWithSignal } from './retry.js';
import type { TicketSource } from './ticket.js';
import { appKitTicket, countingSource, file, harness, json200 } from './test-support/upload-harness.js';
import { TicketError } from './upload-errors.js';
import { uploadFile } from './upload-file.js';

describe('uploadFile: abort and failures', () => {
  it('returns aborted when the signal fires during the upload, without retrying', async () => {
    const controller = new AbortController();
    const h = harness([{ hang: true, progress: [{ loaded: 600, total: 1200 }] }, json200], {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.loaded > 0) controller.abort();
      },
    });
    const result = await uploadFile(file, countingSource(), h.options);
    assert.deepEqual(result, {
      attempts: 1,
      key: 'uploads/alice/abc.png',
      uploadId: 'u-1',
      status: 'aborted',
    });
    assert.equal(h.transport.requests.length, 1);
  });

  it('returns aborted when the signal fires during the backoff wait', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const h = harness([{ status: 503 }, json200], {
      signal: controller.signal,
      retry: { baseDelayMs: 600_000, random: () => 0 },
      sleep: (ms, signal) => {
        const sleeping = sleepWithSignal(ms, signal); // the real timer: five minutes
        controller.abort();
        return sleeping;
      },
    });
    const result = await uploadFile(file, countingSource(), h.options);
    assert.equal(result.status, 'aborted');
    assert.equal(result.attempts, 1);
    assert.equal(h.transport.requests.length, 1);
    assert.ok(Date.now() - started < 5000);
  });

  it('returns aborted at once for an already-aborted signal, asking for no ticket', async () => {
    const source = countingSource();
    const h = harness([json200], { signal: AbortSignal.abort() });
    assert.deepEqual(await uploadFile(file, source, h.options), { attempts: 0, status: 'aborted' });
    assert.equal(source.calls.length, 0);
  });

  it('returns aborted when the signal fires while a ticket source ignores it', async () => {
    const controller = new AbortController();
    const never: TicketSource = () => new Promise(() => {});
    const h = harness([json200], { signal: controller.signal });
    const pending = uploadFile(file, never, h.options);
    controller.abort();
    assert.equal((await pending).status, 'aborted');
  });

  it('reports a refused ticket as failed/ticket and never contacts storage', async () => {
    const refusal = new TicketError('The ticket endpoint answered 401: unauthenticated', { httpStatus: 401 });
    const h = harness([json200]);
    const result = await uploadFile(file, countingSource([refusal]), h.options);
    assert.deepEqual(result, { attempts: 1, status: 'failed', reason: 'ticket', error: refusal });
    assert.equal(h.transport.requests.length, 0);
  });

  it('wraps other ticket source errors and invalid tickets as TicketError', async () => {
    const thrown = await uploadFile(
      file,
      countingSource([new TypeError('boom')]),
      harness([json200]).options,
    );
    assert.ok(thrown.status === 'failed' && thrown.error instanceof TicketError);
    assert.ok(thrown.error.cause instanceof TypeError);
    const invalid = await uploadFile(
      file,
      () => Promise.resolve({ host: 'ftp://x', fields: {} }),
      harness([json200]).options,
    );
    assert.ok(invalid.status === 'failed' && invalid.reason === 'ticket');
  });

  it('retries a ticket source failure marked retryable', async () => {
    const source = countingSource([
      new TicketError('503', { httpStatus: 503, retryable: true }),
      appKitTicket(),
    ]);
    const h = harness([json200]);
    const result = await uploadFile(file, source, h.options);
    assert.equal(result.status, 'confirmed');
    assert.equal(result.attempts, 2);
  });

  it('reports a transport that breaks its contract as failed/unexpected', async () => {
    const h = harness([() => Promise.reject(new TypeError('not a NetworkError'))]);
    const result = await uploadFile(file, countingSource(), h.options);
    assert.ok(result.status === 'failed');
    assert.equal(result.reason, 'unexpected');
    assert.equal(h.transport.requests.length, 1);
  });

  it('uses the file name and type overrides, defaulting an untyped Blob to octet-stream', async () => {
    const source = countingSource();
    await uploadFile(new Blob(['x']), source, harness([json200]).options);
    await uploadFile(file, source, {
      ...harness([json200]).options,
      fileName: 'renamed.png',
      contentType: 'image/x-custom',
    });
    assert.deepEqual(
      source.calls.map(({ fileName, contentType }) => [fileName, contentType]),
      [
        ['blob', 'application/octet-stream'],
        ['renamed.png', 'image/x-custom'],
      ],
    );
  });
});
