// The Node transport under @upcall/client's own uploadFile, against a real loopback server that parses
// the multipart body with busboy: what storage receives is the contract.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AbortError,
  NetworkError,
  fetchTicketSource,
  uploadFile,
  type Transport,
  type UploadFileOptions,
  type UploadProgress,
  type UploadProgressEvent,
  type UploadResult,
} from '@upcall/client';
import { createNodeHttpTransport } from './create-node-http-transport.js';
import { openUploadFile } from './open-upload-file.js';
import type { LoopbackStorage } from './test-support/serve-loopback-storage.js';
import { replyError } from './test-support/storage-replies.js';
import { withLoopbackStorage } from './test-support/with-loopback-storage.js';
import { writeRandomFile, type RandomFile } from './test-support/write-random-file.js';

let dir = '';
let sample: RandomFile;
/** Larger than the kernel's socket buffers can hold, so an upload stalled by the server stays in flight. */
let large: RandomFile;

/** The client's own uploadFile over this transport, with the client's own HTTP ticket source. */
async function uploadSample(
  storage: LoopbackStorage,
  options: Omit<UploadFileOptions, 'transport'> = {},
  wrap: (transport: Transport) => Transport = (transport) => transport,
): Promise<UploadResult> {
  const transport = createNodeHttpTransport();
  try {
    const file = await openUploadFile(sample.path);
    return await uploadFile(file, fetchTicketSource(storage.ticketUrl), {
      ...options,
      transport: wrap(transport),
    });
  } finally {
    transport.close();
  }
}

describe('createNodeHttpTransport', () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'upcall-transport-'));
    sample = await writeRandomFile(dir, 'photo.png', 3 * 1024 * 1024 + 17);
    large = await writeRandomFile(dir, 'large.bin', 32 * 1024 * 1024);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('sends the ticket fields in order and the file last, byte-identical, with an exact Content-Length', () =>
    withLoopbackStorage({}, async (storage) => {
      const result = await uploadSample(storage);
      assert.equal(result.status, 'confirmed');
      const [upload] = storage.uploads;
      assert.deepEqual(upload?.partNames, [
        'key',
        'x-oss-forbid-overwrite',
        'success_action_status',
        'callback',
        'x:upload_id',
        'x-oss-signature-version',
        'x-oss-credential',
        'x-oss-date',
        'policy',
        'x-oss-signature',
        'file',
      ]);
      assert.equal(upload?.fields[0]?.[1], result.key);
      assert.deepEqual(upload?.file, {
        fieldName: 'file',
        filename: 'photo.png',
        mimeType: 'image/png',
        size: sample.size,
        sha256: sample.sha256,
      });
      assert.equal(upload?.headers['content-length'], String(upload?.bodyBytes));
      assert.equal(upload?.headers['transfer-encoding'], undefined);
      assert.match(
        upload?.headers['content-type'] ?? '',
        /^multipart\/form-data; boundary=----UpcallFormBoundary/,
      );
    }));

  it('reports body bytes as the socket takes them, ending at the whole body, and the client scales them to 100 %', () =>
    withLoopbackStorage({}, async (storage) => {
      const events: UploadProgressEvent[] = [];
      const progress: UploadProgress[] = [];
      const observe = (transport: Transport): Transport => ({
        send: (request) =>
          transport.send({
            ...request,
            onUploadProgress: (event) => {
              events.push(event);
              request.onUploadProgress?.(event);
            },
          }),
      });
      await uploadSample(storage, { onProgress: (p) => progress.push(p) }, observe);
      const bodyBytes = storage.uploads[0]?.bodyBytes;
      assert.ok(events.length > 10, `only ${events.length} progress events`);
      assert.ok(events.every((event, i) => i === 0 || event.loaded > events[i - 1]!.loaded));
      assert.deepEqual(events.at(-1), { loaded: bodyBytes, total: bodyBytes });
      assert.equal(progress.at(-1)?.loaded, sample.size);
      assert.equal(progress.at(-1)?.total, sample.size);
    }));

  it('resolves with storage’s answer whatever the status, with its headers readable', () =>
    withLoopbackStorage({ answer: () => replyError('EntityTooLarge', 'RID-413') }, async (storage) => {
      const result = await uploadSample(storage);
      assert.equal(result.status, 'rejected');
      assert.equal(result.status === 'rejected' && result.code, 'EntityTooLarge');
      assert.equal(result.status === 'rejected' && result.requestId, 'RID-413');
    }));

  it('rejects with NetworkError when the connection drops without an answer', () =>
    withLoopbackStorage({ answer: () => ({ status: 0, destroy: true }) }, async (storage) => {
      const transport = createNodeHttpTransport();
      const form = new FormData();
      form.append('key', 'k');
      form.append('file', await openUploadFile(sample.path), 'photo.png');
      await assert.rejects(
        transport.send({ url: storage.origin, body: form, signal: new AbortController().signal }),
        NetworkError,
      );
      transport.close();
    }));

  it(
    'rejects with AbortError and closes the connection when the signal fires mid-body',
    { timeout: 30_000 },
    () =>
      withLoopbackStorage({ stallAfterBytes: 64 * 1024 }, async (storage) => {
        const transport = createNodeHttpTransport();
        const form = new FormData();
        form.append('file', await openUploadFile(large.path), 'large.bin');
        const controller = new AbortController();
        const sent = transport.send({ url: storage.origin, body: form, signal: controller.signal });
        await storage.stalled;
        controller.abort();
        await assert.rejects(sent, AbortError);
        const { bodyBytes, contentLength } = await storage.drainStalled();
        assert.ok(bodyBytes < contentLength, `${bodyBytes} of ${contentLength} bytes arrived`);
        transport.close();
      }),
  );

  it('resolves a path-only ticket host against the base URL (the ticket URL, as a page resolves it)', () =>
    withLoopbackStorage({}, async (storage) => {
      const transport = createNodeHttpTransport({ baseUrl: storage.ticketUrl });
      const form = new FormData();
      form.append('key', 'k');
      form.append('file', new File(['x'], 'x.txt'), 'x.txt');
      const response = await transport.send({
        url: '/storage/',
        body: form,
        signal: new AbortController().signal,
      });
      transport.close();
      assert.equal(response.status, 200);
      assert.equal(storage.uploads[0]?.url, '/storage/');
    }));

  it('takes storage’s early answer and stops sending when storage refuses before reading the body', async () => {
    let bodyBytes = 0;
    const server = createServer((req, res) => {
      // Answer from the headers alone and keep reading, as Node's default server does.
      req.on('data', (chunk: Buffer) => (bodyBytes += chunk.length));
      res.writeHead(400, { 'content-type': 'application/xml' });
      res.end('<Error><Code>EntityTooLarge</Code><Message>too big</Message></Error>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const big = large;
    const transport = createNodeHttpTransport();
    try {
      const form = new FormData();
      form.append('file', await openUploadFile(big.path), 'big.bin');
      const response = await transport.send({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
        body: form,
        signal: new AbortController().signal,
      });
      assert.equal(response.status, 400);
      assert.match(response.bodyText, /EntityTooLarge/);
      assert.ok(bodyBytes < big.size / 2, `sent ${bodyBytes} of ${big.size} bytes`);
    } finally {
      transport.close();
      server.closeAllConnections();
      server.close();
    }
  });

  it('reads the refusal when storage answers before the file part and closes the connection, as OSS does', async () => {
    // Upcall's server (and OSS) answer a policy failure as soon as the fields are read, with
    // `Connection: close`, and stop reading: the bytes still coming make the server's side reset the
    // connection, and a client that keeps writing without reading first loses the answer to EPIPE.
    const server = createServer((req, res) => {
      req.once('data', () => {
        req.pause();
        res.writeHead(403, { 'content-type': 'application/xml', connection: 'close' });
        res.end('<Error><Code>AccessDenied</Code><Message>Invalid according to Policy</Message></Error>');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const big = await writeRandomFile(dir, 'refused.bin', 8 * 1024 * 1024);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const statuses: Array<number | string> = [];
      for (let attempt = 0; attempt < 10; attempt++) {
        const transport = createNodeHttpTransport();
        const form = new FormData();
        form.append('key', 'k');
        form.append('file', await openUploadFile(big.path), 'refused.bin');
        const signal = new AbortController().signal;
        statuses.push(
          await transport.send({ url, body: form, signal }).then(
            (response) => response.status,
            (error: Error) => error.message,
          ),
        );
        transport.close();
      }
      assert.deepEqual(statuses, Array<number>(10).fill(403));
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
