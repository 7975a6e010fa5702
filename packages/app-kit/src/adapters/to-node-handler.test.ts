import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { buildSignedCallback, sendCallbackRequest } from '../test-support/build-signed-callback.js';
import { buildUploadApp } from '../test-support/build-upload-app.js';
import { sendHttp, serveOnLoopback } from '../test-support/serve-on-loopback.js';
import type { UploadTicket } from '../tickets/upload-ticket.js';
import { toNodeHandler } from './to-node-handler.js';

describe('toNodeHandler on node:http', () => {
  it('passes the raw target, headers and body bytes and writes status, headers and Content-Length', async () => {
    const seen: Array<{ url: string; target: string | undefined; body: string; header: string | null }> = [];
    const server = await serveOnLoopback(
      toNodeHandler(async (request, context) => {
        seen.push({
          url: request.url,
          target: context?.rawTarget,
          body: await request.text(),
          header: request.headers.get('x-test'),
        });
        return new Response('hello', { status: 201, headers: { 'x-reply': 'yes' } });
      }),
    );
    try {
      const response = await sendHttp(server.port, 'POST', '//evil.example/%7Ea?b=%2F', {
        headers: { 'x-test': 't' },
        body: 'a+b',
      });
      assert.equal(response.status, 201);
      assert.equal(response.headers['x-reply'], 'yes');
      assert.equal(response.headers['content-length'], '5');
      assert.equal(response.body.toString(), 'hello');
      assert.deepEqual(seen, [
        {
          url: `http://127.0.0.1:${server.port}//evil.example/%7Ea?b=%2F`,
          target: '//evil.example/%7Ea?b=%2F',
          body: 'a+b',
          header: 't',
        },
      ]);
    } finally {
      await server.close();
    }
  });

  it('answers 413 without calling the handler when the body exceeds the cap, declared or streamed', async () => {
    let calls = 0;
    const server = await serveOnLoopback(
      toNodeHandler(
        () => {
          calls++;
          return Promise.resolve(new Response('{}'));
        },
        { maxBodyBytes: 100 },
      ),
    );
    try {
      const declared = await sendHttp(server.port, 'POST', '/', { body: Buffer.alloc(101) });
      assert.equal(declared.status, 413);
      const streamed = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          { host: '127.0.0.1', port: server.port, method: 'POST', path: '/' },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.write(Buffer.alloc(80));
        req.end(Buffer.alloc(80)); // chunked: no Content-Length to refuse up front
      });
      assert.equal(streamed, 413);
      assert.equal(calls, 0);
      assert.equal((await sendHttp(server.port, 'POST', '/', { body: Buffer.alloc(100) })).status, 200);
    } finally {
      await server.close();
    }
  });

  it('turns a throwing handler into a 500 JSON reply', async () => {
    const server = await serveOnLoopback(toNodeHandler(() => Promise.reject(new Error('boom'))));
    try {
      const response = await sendHttp(server.port, 'GET', '/');
      assert.equal(response.status, 500);
      assert.deepEqual(response.json(), { error: 'internal-error' });
    } finally {
      await server.close();
    }
  });
});

describe('toNodeHandler in Express', () => {
  it('runs the whole loop under a mounted router: ticket, signed callback, records', async () => {
    let port = 0;
    const app = buildUploadApp(() => `http://127.0.0.1:${port}/upload/callback?via=express`);
    const router = express.Router();
    router.get('/ticket', toNodeHandler(app.tickets));
    router.post('/callback', toNodeHandler(app.callback)); // before any body parser
    router.get('/records', toNodeHandler(app.records));
    const server = express().use('/upload', router).use(express.json());
    const listener = server.listen(0, '127.0.0.1');
    await new Promise((resolve) => listener.once('listening', resolve));
    port = (listener.address() as AddressInfo).port;
    try {
      const ticket = (
        await sendHttp(port, 'GET', '/upload/ticket?filename=a.txt', { headers: { cookie: 'user=alice' } })
      ).json() as UploadTicket;
      const signed = await buildSignedCallback(ticket, { bucket: 'examplebucket', size: 42 }, app.key);
      assert.equal(signed.url.requestTarget, '/upload/callback?via=express');
      const reply = await sendCallbackRequest(signed, port);
      assert.equal(reply.status, 200, reply.body.toString());
      assert.deepEqual(JSON.parse(reply.body.toString()), { ok: true, key: ticket.key, id: ticket.uploadId });
      const records = (
        await sendHttp(port, 'GET', '/upload/records', { headers: { cookie: 'user=alice' } })
      ).json() as {
        records: Array<{ status: string; size: number }>;
      };
      assert.deepEqual(
        records.records.map((r) => [r.status, r.size]),
        [['confirmed', 42]],
      );
    } finally {
      listener.closeAllConnections();
      await new Promise((resolve) => listener.close(resolve));
      await app.store.close();
    }
  });
});
