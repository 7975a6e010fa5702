// The whole client flow over real HTTP on 127.0.0.1: uploadFile + fetchTransport against a stand-in
// storage endpoint that records the multipart body exactly as it arrived.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fetchTransport } from './fetch-transport.js';
import { readMultipart, serveOnLoopback, type Reply } from './test-support/serve-on-loopback.js';
import type { Ticket } from './ticket.js';
import { uploadFile } from './upload-file.js';

const file = new File(['%PNG fake image bytes'], 'cat.png', { type: 'image/png' });

async function withStorage(
  answer: (index: number) => Reply | Promise<Reply>,
  fn: (ticket: Ticket) => Promise<void>,
): Promise<void> {
  let index = 0;
  const server = await serveOnLoopback(() => answer(index++));
  try {
    await fn({
      host: server.origin,
      fields: { key: 'uploads/alice/abc.png', policy: 'cA==', 'x:upload_id': 'u-1' },
      uploadId: 'u-1',
    });
  } finally {
    await server.close();
  }
}

describe('uploadFile over fetchTransport', () => {
  it('sends a multipart form with the ticket fields first and the file last, and reads the relayed JSON', async () => {
    const server = await serveOnLoopback(() => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"ok":true}',
    }));
    try {
      const ticket: Ticket = {
        host: server.origin,
        fields: { key: 'k.png', policy: 'cA==', 'x:upload_id': 'u-1' },
      };
      const result = await uploadFile(file, () => Promise.resolve(ticket), { transport: fetchTransport });
      assert.equal(result.status === 'confirmed' && JSON.stringify(result.body), '{"ok":true}');
      const [received] = server.received;
      assert.equal(received?.method, 'POST');
      assert.match(received?.headers['content-type'] ?? '', /^multipart\/form-data; boundary=/);
      const parts = await readMultipart(received);
      assert.deepEqual(
        parts.map(([name]) => name),
        ['key', 'policy', 'x:upload_id', 'file'],
      );
      const sent = parts[3]?.[1];
      assert.ok(sent instanceof File);
      assert.equal(sent.name, 'cat.png');
      assert.equal(sent.type, 'image/png');
      assert.equal(await sent.text(), '%PNG fake image bytes');
      assert.equal(received?.body.toString('latin1').endsWith('--\r\n'), true);
    } finally {
      await server.close();
    }
  });

  it('recovers from a dropped connection by re-sending the form', () =>
    withStorage(
      (index) => (index === 0 ? { status: 0, destroy: true } : { status: 204, headers: { etag: '"E"' } }),
      async (ticket) => {
        const result = await uploadFile(file, () => Promise.resolve(ticket), {
          transport: fetchTransport,
          sleep: () => Promise.resolve(),
        });
        assert.equal(result.status === 'confirmed' && result.etag, 'E');
        assert.equal(result.attempts, 2);
      },
    ));

  it('reads a 203 CallbackFailed from real HTTP as stored-unconfirmed', () =>
    withStorage(
      () => ({
        status: 203,
        headers: { 'content-type': 'application/xml', 'x-oss-request-id': '5C3D9175B6FC201293AD4890' },
        body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>CallbackFailed</Code><Message>Error status : -1. OSS can not connect to your callbackUrl, please check it.</Message><RequestId>5C3D9175B6FC201293AD4890</RequestId><HostId>127.0.0.1</HostId><EC>0007-00000203</EC></Error>',
      }),
      async (ticket) => {
        const result = await uploadFile(file, () => Promise.resolve(ticket), { transport: fetchTransport });
        assert.ok(result.status === 'stored-unconfirmed');
        assert.equal(result.uploadId, 'u-1');
        assert.match(result.message, /can not connect to your callbackUrl/);
      },
    ));

  it('aborts an upload whose response has not arrived', async () => {
    const controller = new AbortController();
    let release: () => void = () => {};
    const held = new Promise<Reply>((resolve) => (release = () => resolve({ status: 204 })));
    await withStorage(
      () => {
        controller.abort(); // the request reached storage; cancel while it is answering
        return held;
      },
      async (ticket) => {
        const result = await uploadFile(file, () => Promise.resolve(ticket), {
          transport: fetchTransport,
          signal: controller.signal,
        });
        assert.equal(result.status, 'aborted');
        release();
      },
    );
  });
});
