import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { Readable, Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { pino, type Logger } from 'pino';
import { XMLParser } from 'fast-xml-parser';
import { exchange } from './http/testing/http-exchange.js';
import { putTestObject, startTestServer } from './http/testing/start-test-server.js';
import { wrapStore } from './http/testing/wrap-store.js';
import { newMeta } from './store/contract/contract-fixtures.js';
import { MemoryObjectStore } from './store/memory-object-store.js';
import { buildMultipartExpiryIntervalMs } from './server.js';

const xml = new XMLParser({ parseTagValue: false });

function captureLog(): { lines: Array<Record<string, unknown>>; log: Logger } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      callback();
    },
  });
  return { lines, log: pino({ level: 'info' }, sink) };
}

describe('startServer lifecycle', () => {
  it('lets an in-flight download finish on close, then closes the store and refuses new connections', async () => {
    const memory = new MemoryObjectStore();
    let storeClosed = false;
    const slowBody = () => {
      let sent = 0;
      return new Readable({
        read() {
          setTimeout(() => this.push(sent++ < 10 ? Buffer.from('0123456789') : null), 30);
        },
      });
    };
    const store = wrapStore(memory, {
      read: async (bucket, key) => {
        const meta = await memory.head(bucket, key);
        return meta === undefined ? undefined : { meta: { ...meta, size: 100 }, body: slowBody() };
      },
      head: async (bucket, key) => {
        const meta = await memory.head(bucket, key);
        return meta === undefined ? undefined : { ...meta, size: 100 };
      },
      close: () => {
        storeClosed = true;
        return memory.close();
      },
    });
    const server = await startTestServer({ store, config: { buckets: ['pub'], bucketAcl: 'public-read' } });
    await putTestObject(memory, 'pub', 'slow.bin', Buffer.alloc(100));
    const body = await new Promise<{ text: string; closeResolvedFirst: boolean }>((resolve, reject) => {
      let closeDone = false;
      const req = request({ host: '127.0.0.1', port: server.port, path: '/pub/slow.bin' }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.once('data', () => {
          void server.close().then(() => (closeDone = true));
        });
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ text, closeResolvedFirst: closeDone }));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(body.text, '0123456789'.repeat(10));
    assert.equal(body.closeResolvedFirst, false);
    await server.close();
    assert.equal(storeClosed, true);
    await assert.rejects(exchange(server.port, { path: '/_upcall/health' }), /ECONNREFUSED/);
  });

  it('destroys a socket that stays idle past idleTimeoutMs while a request is pending', async () => {
    const memory = new MemoryObjectStore();
    const store = wrapStore(memory, { head: () => new Promise(() => undefined) });
    const server = await startTestServer({
      store,
      config: { buckets: ['pub'], bucketAcl: 'public-read', idleTimeoutMs: 300, shutdownGraceMs: 100 },
    });
    try {
      const started = Date.now();
      await assert.rejects(exchange(server.port, { path: '/pub/hangs' }), /socket hang up|ECONNRESET/);
      assert.ok(Date.now() - started < 2_000);
      assert.equal((await exchange(server.port, { path: '/_upcall/health' })).status, 200);
    } finally {
      await server.close();
    }
  });
});

describe('error pipeline and request logs', () => {
  it('turns an unknown error into 500 InternalError and logs it once with the request id', async () => {
    const { lines, log } = captureLog();
    const memory = new MemoryObjectStore();
    const store = wrapStore(memory, { getBucket: () => Promise.reject(new Error('disk on fire')) });
    const server = await startTestServer({ store, log, config: { buckets: [] } });
    try {
      const res = await exchange(server.port, { path: '/pub/x' });
      assert.equal(res.status, 500);
      const error = (xml.parse(res.body) as { Error: Record<string, string> }).Error;
      assert.equal(error.Code, 'InternalError');
      assert.ok(!res.body.includes('disk on fire'));
      const requestId = res.headers['x-oss-request-id'];
      const internal = lines.filter((line) => line.msg === 'internal error');
      assert.equal(internal.length, 1);
      assert.equal(internal[0]?.requestId, requestId);
      assert.match(JSON.stringify(internal[0]?.err), /disk on fire/);
    } finally {
      await server.close();
    }
  });

  it('writes one structured line per request with id, operation, bucket, key, status, bytes and duration', async () => {
    const { lines, log } = captureLog();
    let clock = 1_700_000_000_000;
    const server = await startTestServer({
      log,
      now: () => (clock += 7),
      config: { buckets: ['pub'], bucketAcl: 'public-read' },
    });
    try {
      await putTestObject(server.store, 'pub', 'dir/a.txt', 'hello');
      const res = await exchange(server.port, { path: '/pub/dir/a.txt' });
      await new Promise((r) => setImmediate(r));
      const entries = lines.filter((line) => line.msg === 'request');
      assert.equal(entries.length, 1);
      const entry = entries[0]!;
      assert.equal(entry.requestId, res.headers['x-oss-request-id']);
      assert.equal(entry.operation, 'GetObject');
      assert.equal(entry.bucket, 'pub');
      assert.equal(entry.key, 'dir/a.txt');
      assert.equal(entry.status, 200);
      assert.ok((entry.bytesOut as number) > 5);
      assert.equal(typeof entry.durationMs, 'number');
      assert.ok((entry.durationMs as number) > 0);
    } finally {
      await server.close();
    }
  });
});

describe('multipart expiry', () => {
  const hourMs = 3_600_000;
  const dayMs = 24 * hourMs;

  /** A store whose clock the test moves: one upload initiated 8 days ago, one 5 days ago. */
  async function storeWithUploads(clock: { ms: number }) {
    const store = new MemoryObjectStore({ now: () => clock.ms });
    await store.createBucket('uploads');
    const old = await store.multipart.initiate(newMeta('old.bin', { bucket: 'uploads' }));
    clock.ms += 3 * dayMs;
    const young = await store.multipart.initiate(newMeta('young.bin', { bucket: 'uploads' }));
    clock.ms += 5 * dayMs;
    const alive = async () => ({
      old: (await store.multipart.getUpload('uploads', 'old.bin', old.uploadId)) !== undefined,
      young: (await store.multipart.getUpload('uploads', 'young.bin', young.uploadId)) !== undefined,
    });
    return { store, alive };
  }

  it('aborts uploads older than the default 7 days at start-up, by the injected clock', async () => {
    const clock = { ms: Date.UTC(2025, 0, 1) };
    const { store, alive } = await storeWithUploads(clock);
    const server = await startTestServer({ store, now: () => clock.ms });
    await server.close(); // waits for the start-up sweep
    assert.deepEqual(await alive(), { old: false, young: true });
  });

  it('uses the configured age, and never aborts anything with 0', async () => {
    const clock = { ms: Date.UTC(2025, 0, 1) };
    const { store, alive } = await storeWithUploads(clock);
    const disabled = await startTestServer({ store, now: () => clock.ms, config: { multipartMaxAgeMs: 0 } });
    await disabled.close();
    assert.deepEqual(await alive(), { old: true, young: true });
    const oneDay = await startTestServer({
      store,
      now: () => clock.ms,
      config: { multipartMaxAgeMs: dayMs },
    });
    await oneDay.close();
    assert.deepEqual(await alive(), { old: false, young: false });
  });

  it('sweeps again while serving, every quarter of the age (at least 1 s, at most 1 h)', async () => {
    assert.equal(buildMultipartExpiryIntervalMs(7 * dayMs), hourMs);
    assert.equal(buildMultipartExpiryIntervalMs(2 * hourMs), hourMs / 2);
    assert.equal(buildMultipartExpiryIntervalMs(2_000), 1_000);
    const clock = { ms: Date.UTC(2025, 0, 1) };
    const store = new MemoryObjectStore({ now: () => clock.ms });
    const server = await startTestServer({
      store,
      now: () => clock.ms,
      config: { multipartMaxAgeMs: 4_000 },
    });
    try {
      const upload = await store.multipart.initiate(newMeta('late.bin', { bucket: 'uploads' }));
      clock.ms += 5_000;
      const deadline = Date.now() + 3_000;
      while ((await store.multipart.getUpload('uploads', 'late.bin', upload.uploadId)) !== undefined) {
        assert.ok(Date.now() < deadline, 'the upload was not expired by a scheduled sweep');
        await delay(20);
      }
    } finally {
      await server.close();
    }
  });
});
