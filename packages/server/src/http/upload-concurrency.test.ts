import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IncomingMessage, ServerResponse, request, type ClientRequest } from 'node:http';
import { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { OssError } from '@upcall/protocol';
import { XMLParser } from 'fast-xml-parser';
import { pino, type Logger } from 'pino';
import { MemoryObjectStore } from '../store/memory-object-store.js';
import { exchange, type Exchange } from './testing/http-exchange.js';
import { startTestServer, type TestServer } from './testing/start-test-server.js';
import { wrapStore } from './testing/wrap-store.js';
import { UploadSlots, uploadOperationNames } from './upload-concurrency.js';

const xml = new XMLParser({ parseTagValue: false });
const bodyBytes = 64;

/** An anonymous PutObject (the bucket is public-read-write) that sends half its body and then waits. */
interface HeldUpload {
  readonly req: ClientRequest;
  readonly response: Promise<Exchange>;
  finish(): Promise<Exchange>;
}

function readResponse(req: ClientRequest): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

function startUpload(port: number, key: string, firstBytes: number): HeldUpload {
  const req = request({
    host: '127.0.0.1',
    port,
    method: 'PUT',
    path: `/pub/${key}`,
    headers: { 'content-length': String(bodyBytes), 'content-type': 'application/octet-stream' },
    agent: false,
  });
  const response = readResponse(req);
  if (firstBytes > 0) req.write(Buffer.alloc(firstBytes, 0x61));
  else req.flushHeaders();
  return {
    req,
    response,
    finish: () => {
      req.end(Buffer.alloc(bodyBytes - firstBytes, 0x62));
      return response;
    },
  };
}

/** The response, or a failure after 2 s: a refusal must come at once, not after the idle timeout. */
function promptly(response: Promise<Exchange>): Promise<Exchange> {
  return Promise.race([
    response,
    delay(2_000).then(() => Promise.reject(new Error('no response within 2 s'))),
  ]);
}

async function waitFor(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await delay(5);
  }
}

/** A server capped at `cap` uploads that counts how many uploads reached the store. */
async function startCappedServer(
  cap: number | undefined,
  log?: Logger,
): Promise<{ server: TestServer; begun: () => number }> {
  const memory = new MemoryObjectStore();
  let begun = 0;
  const store = wrapStore(memory, {
    beginPut: (meta) => {
      begun += 1;
      return memory.beginPut(meta);
    },
  });
  const server = await startTestServer({
    store,
    config: {
      buckets: ['pub'],
      bucketAcl: 'public-read-write',
      ...(cap === undefined ? {} : { maxConcurrentUploads: cap }),
    },
    ...(log === undefined ? {} : { log }),
  });
  return { server, begun: () => begun };
}

describe('--max-concurrent-uploads', () => {
  it('answers an upload over the cap at once with 503 ServiceUnavailable and Connection: close, and admits again once one finishes', async () => {
    const { server, begun } = await startCappedServer(2);
    try {
      const first = startUpload(server.port, 'first.bin', 10);
      const second = startUpload(server.port, 'second.bin', 10);
      await waitFor(() => begun() === 2);
      // Headers only: the refusal must not wait for (or read) the body.
      const third = startUpload(server.port, 'third.bin', 0);
      const refused = await promptly(third.response);
      assert.equal(refused.status, 503);
      assert.equal(refused.headers.connection, 'close');
      const error = (xml.parse(refused.body) as { Error: Record<string, string> }).Error;
      assert.equal(error.Code, 'ServiceUnavailable');
      assert.equal(error.RequestId, refused.headers['x-oss-request-id']);
      assert.equal(begun(), 2);
      // Reads are not uploads: they are served while every upload slot is taken.
      assert.equal((await exchange(server.port, { path: '/_upcall/health' })).status, 200);
      assert.equal((await exchange(server.port, { path: '/pub/first.bin' })).status, 404);

      assert.equal((await first.finish()).status, 200);
      const next = startUpload(server.port, 'next.bin', 0);
      assert.equal((await next.finish()).status, 200);
      assert.equal((await second.finish()).status, 200);
      assert.equal((await server.store.head('pub', 'next.bin'))?.size, bodyBytes);
      assert.equal(await server.store.head('pub', 'third.bin'), undefined);
    } finally {
      await server.close();
    }
  });

  it('frees the slot of an upload whose client went away mid-body', async () => {
    const closed: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
          const entry = JSON.parse(line) as Record<string, unknown>;
          if (entry.msg === 'request') closed.push(entry);
        }
        callback();
      },
    });
    const { server, begun } = await startCappedServer(1, pino({ level: 'info' }, sink));
    try {
      const abandoned = startUpload(server.port, 'abandoned.bin', 10);
      abandoned.response.catch(() => undefined);
      await waitFor(() => begun() === 1);
      assert.equal((await promptly(startUpload(server.port, 'refused.bin', 0).response)).status, 503);
      abandoned.req.destroy();
      // The request log line and the slot release both run on the response's 'close'.
      await waitFor(() => closed.some((entry) => entry.key === 'abandoned.bin' && entry.aborted === true));
      assert.equal((await startUpload(server.port, 'after.bin', 0).finish()).status, 200);
    } finally {
      await server.close();
    }
  });

  it('caps nothing by default', async () => {
    const { server, begun } = await startCappedServer(undefined);
    try {
      const held = ['a', 'b', 'c', 'd'].map((name) => startUpload(server.port, `${name}.bin`, 10));
      await waitFor(() => begun() === 4);
      const results = await Promise.all(held.map((upload) => upload.finish()));
      assert.deepEqual(
        results.map((result) => result.status),
        [200, 200, 200, 200],
      );
    } finally {
      await server.close();
    }
  });
});

describe('UploadSlots', () => {
  function newResponse(): ServerResponse {
    return new ServerResponse(new IncomingMessage(new Socket()));
  }

  it('counts the four body-carrying upload operations only, and frees a slot when the response closes', () => {
    assert.deepEqual([...uploadOperationNames].sort(), [
      'CompleteMultipartUpload',
      'PostObject',
      'PutObject',
      'UploadPart',
    ]);
    const slots = new UploadSlots(1);
    const held = newResponse();
    slots.admit('UploadPart', held);
    slots.admit('GetObject', newResponse());
    slots.admit('InitiateMultipartUpload', newResponse());
    assert.equal(slots.inFlight, 1);
    assert.throws(
      () => slots.admit('CompleteMultipartUpload', newResponse()),
      (error: unknown) => error instanceof OssError && error.status === 503,
    );
    held.emit('close');
    assert.equal(slots.inFlight, 0);
    slots.admit('PostObject', newResponse());
    assert.equal(slots.inFlight, 1);
  });

  it('refuses a negative or fractional cap', () => {
    assert.throws(() => new UploadSlots(-1), RangeError);
    assert.throws(() => new UploadSlots(1.5), RangeError);
  });
});
