import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fetchTicketSource } from './fetch-ticket-source.js';
import { serveOnLoopback, type Reply } from './test-support/serve-on-loopback.js';
import { ticketFromOfficialDemo } from './ticket-from-official-demo.js';
import { TicketError } from './upload-errors.js';

const request = { fileName: 'cat.png', size: 10, contentType: 'image/png' };
const ticketJson = {
  host: 'http://127.0.0.1:9000',
  fields: { key: 'k', policy: 'p' },
  expire: 1,
  uploadId: 'u-1',
};

async function withServer(
  reply: Reply,
  fn: (origin: string, received: () => unknown[]) => Promise<void>,
): Promise<void> {
  const server = await serveOnLoopback(() => reply);
  try {
    await fn(server.origin, () => server.received);
  } finally {
    await server.close();
  }
}

describe('fetchTicketSource', () => {
  it('POSTs the file facts as JSON and returns the parsed ticket', () =>
    withServer(
      { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(ticketJson) },
      async (origin, received) => {
        const ticket = await fetchTicketSource(`${origin}/api/ticket`, { headers: { 'x-csrf': 't' } })(
          request,
        );
        assert.deepEqual(ticket.fields, [
          ['key', 'k'],
          ['policy', 'p'],
        ]);
        assert.equal(ticket.uploadId, 'u-1');
        const [sent] = received() as Array<{
          method: string;
          url: string;
          headers: Record<string, string>;
          body: Buffer;
        }>;
        assert.equal(sent?.method, 'POST');
        assert.equal(sent?.url, '/api/ticket');
        assert.equal(sent?.headers['content-type'], 'application/json');
        assert.equal(sent?.headers['x-csrf'], 't');
        assert.deepEqual(JSON.parse(sent?.body.toString() ?? ''), request);
      },
    ));

  it('sends the file facts as query parameters with GET and adapts official demo JSON', () =>
    withServer(
      {
        status: 200,
        body: JSON.stringify({
          accessid: 'AK',
          host: 'https://h',
          policy: 'p',
          signature: 's',
          dir: 'd/',
          expire: 9,
        }),
      },
      async (origin, received) => {
        const source = fetchTicketSource(
          `${origin}/sign`,
          {},
          { method: 'GET', adapt: (json) => ticketFromOfficialDemo(json) },
        );
        const ticket = await source(request);
        assert.equal(ticket.keyPrefix, 'd/');
        const [sent] = received() as Array<{ method: string; url: string }>;
        assert.equal(sent?.method, 'GET');
        assert.equal(sent?.url, '/sign?fileName=cat.png&size=10&contentType=image%2Fpng');
      },
    ));

  it("turns app-kit's JSON refusal into a TicketError with status and code", () =>
    withServer({ status: 401, body: '{"error":"unauthenticated"}' }, async (origin) => {
      await assert.rejects(fetchTicketSource(origin)(request), (error) => {
        assert.ok(error instanceof TicketError);
        assert.equal(error.httpStatus, 401);
        assert.equal(error.code, 'unauthenticated');
        assert.equal(error.retryable, false);
        assert.equal(error.message, 'The ticket endpoint answered 401: unauthenticated');
        return true;
      });
    }));

  it('marks a 5xx refusal retryable and quotes a non-JSON body briefly', () =>
    withServer({ status: 503, body: `<html>maintenance</html>${'.'.repeat(1000)}` }, async (origin) => {
      await assert.rejects(fetchTicketSource(origin)(request), (error) => {
        assert.ok(error instanceof TicketError && error.retryable);
        assert.ok(error.message.startsWith('The ticket endpoint answered 503: <html>maintenance</html>'));
        assert.ok(error.message.length < 300);
        return true;
      });
    }));

  it('refuses a 200 that is not JSON or not a ticket', async () => {
    await withServer({ status: 200, body: 'OK' }, async (origin) => {
      await assert.rejects(fetchTicketSource(origin)(request), /invalid JSON/);
    });
    await withServer({ status: 200, body: '{"host":"https://h"}' }, async (origin) => {
      await assert.rejects(fetchTicketSource(origin)(request), /Invalid upload ticket: `fields`/);
    });
  });

  it('reports an unreachable endpoint as a retryable TicketError', async () => {
    const server = await serveOnLoopback(() => ({ status: 200 }));
    await server.close(); // the port is now closed: connection refused
    await assert.rejects(
      fetchTicketSource(server.origin)(request),
      (error) => error instanceof TicketError && error.retryable,
    );
  });
});
