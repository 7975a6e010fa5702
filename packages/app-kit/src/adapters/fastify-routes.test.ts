import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { buildSignedCallback, sendCallbackRequest } from '../test-support/build-signed-callback.js';
import { buildUploadApp } from '../test-support/build-upload-app.js';
import { sendHttp } from '../test-support/serve-on-loopback.js';
import type { UploadTicket } from '../tickets/upload-ticket.js';
import { createFastifyRoutes } from './fastify-routes.js';

describe('createFastifyRoutes', () => {
  it('runs the whole loop with raw callback bytes while the app’s own routes keep Fastify’s parsers', async () => {
    let port = 0;
    const app = buildUploadApp(() => `http://127.0.0.1:${port}/upload/callback?via=fastify&q=a+b`);
    const fastify = Fastify();
    await fastify.register(
      createFastifyRoutes([
        { method: 'GET', url: '/ticket', handler: app.tickets },
        { method: 'POST', url: '/callback', handler: app.callback },
        { method: 'GET', url: '/records', handler: app.records },
      ]),
      { prefix: '/upload' },
    );
    fastify.post('/echo', (request) => ({ parsed: request.body }));
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    port = (fastify.server.address() as AddressInfo).port;
    try {
      for (const query of ['?filename=b.jpg', '?body=json']) {
        const response = await sendHttp(port, 'GET', `/upload/ticket${query}`, {
          headers: { cookie: 'user=bob' },
        });
        const current = response.json() as UploadTicket;
        const signed = await buildSignedCallback(current, { bucket: 'examplebucket', size: 3 }, app.key);
        const reply = await sendCallbackRequest(signed, port);
        assert.equal(reply.status, 200, reply.body.toString());
        assert.equal(reply.headers['content-type'], 'application/json');
        assert.equal(reply.headers['content-length'], String(reply.body.length));
        assert.deepEqual(JSON.parse(reply.body.toString()), {
          ok: true,
          key: current.key,
          id: current.uploadId,
        });
      }
      const records = (
        await sendHttp(port, 'GET', '/upload/records', { headers: { cookie: 'user=bob' } })
      ).json() as {
        records: Array<{ status: string }>;
      };
      assert.deepEqual(records.records.map((r) => r.status).sort(), ['confirmed', 'confirmed']);
      const echo = await sendHttp(port, 'POST', '/echo', {
        headers: { 'content-type': 'application/json' },
        body: '{"a":1}',
      });
      assert.deepEqual(echo.json(), { parsed: { a: 1 } });
    } finally {
      await fastify.close();
      await app.store.close();
    }
  });

  it('refuses callback bodies over the limit with 413 and still verifies bodies without a Content-Type', async () => {
    const app = buildUploadApp(() => 'http://127.0.0.1:1/cb');
    const fastify = Fastify();
    await fastify.register(
      createFastifyRoutes([{ method: 'POST', url: '/cb', handler: app.callback }], { maxBodyBytes: 1000 }),
    );
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    const port = (fastify.server.address() as AddressInfo).port;
    try {
      const big = await sendHttp(port, 'POST', '/cb', {
        headers: { 'content-type': 'application/json' },
        body: Buffer.alloc(1001, 0x20),
      });
      assert.equal(big.status, 413);
      const untyped = await sendHttp(port, 'POST', '/cb', { body: 'bucket=x' });
      assert.equal(untyped.status, 415);
      assert.deepEqual(untyped.json(), { error: 'bad-request' });
    } finally {
      await fastify.close();
      await app.store.close();
    }
  });
});
