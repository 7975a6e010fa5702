import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toNodeHandler } from '../adapters/to-node-handler.js';
import { SqliteUploadRecordStore } from '../records/sqlite-upload-record-store.js';
import { sendHttp, serveOnLoopback, type TestResponse } from '../test-support/serve-on-loopback.js';
import type { UploadTicket } from '../tickets/upload-ticket.js';
import { createRecordsHandler } from './create-records-handler.js';
import { createTicketHandler, type TicketHandlerOptions } from './create-ticket-handler.js';

/** The demo's "authentication": a `user=<id>` cookie. */
function readUser(request: Request): string | undefined {
  return /(?:^|;\s*)user=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1];
}

async function withTicketServer(
  fn: (
    call: (target: string, headers?: Record<string, string>) => Promise<TestResponse>,
    store: SqliteUploadRecordStore,
  ) => Promise<void>,
  overrides: Partial<TicketHandlerOptions> = {},
): Promise<void> {
  const store = new SqliteUploadRecordStore({ path: ':memory:' });
  const tickets = createTicketHandler({
    getUserId: readUser,
    ticketOptions: (request) => {
      const query = new URL(request.url).searchParams;
      return {
        credentials: { accessKeyId: 'AK', accessKeySecret: 'SK' },
        region: 'cn-hangzhou',
        bucket: 'examplebucket',
        host: 'http://127.0.0.1:9000',
        filename: query.get('filename') ?? undefined,
        contentType: query.get('type') ?? undefined,
        allowedContentTypes: ['image/png', 'image/jpeg'],
        maxSizeBytes: 1024,
        callback: { urls: 'http://127.0.0.1:3000/cb' },
      };
    },
    store,
    ...overrides,
  });
  const records = createRecordsHandler({ store, getUserId: readUser });
  const ticketNode = toNodeHandler(tickets);
  const recordsNode = toNodeHandler(records);
  const server = await serveOnLoopback((req, res) =>
    req.url?.startsWith('/records') ? recordsNode(req, res) : ticketNode(req, res),
  );
  try {
    await fn((target, headers) => sendHttp(server.port, 'GET', target, { headers }), store);
  } finally {
    await server.close();
    await store.close();
  }
}

describe('createTicketHandler', () => {
  it('issues a ticket to a signed-in user and records it as pending', () =>
    withTicketServer(async (call, store) => {
      const response = await call('/ticket?filename=cat.PNG&type=image/png', { cookie: 'user=alice' });
      assert.equal(response.status, 200);
      assert.equal(response.headers['cache-control'], 'no-store');
      assert.equal(response.headers['access-control-allow-origin'], undefined);
      const ticket = response.json() as UploadTicket;
      assert.match(ticket.key ?? '', /^uploads\/alice\/[0-9a-f]{32}\.png$/);
      assert.equal(ticket.fields['Content-Type'], 'image/png');
      assert.equal((await store.get(ticket.uploadId))?.status, 'pending');
    }));

  it('answers 401 without a user and issues nothing', () =>
    withTicketServer(async (call, store) => {
      const response = await call('/ticket');
      assert.equal(response.status, 401);
      assert.deepEqual(response.json(), { error: 'unauthenticated' });
      assert.equal((await store.list()).length, 0);
    }));

  it('refuses cross-site requests that carry the user cookie', () =>
    withTicketServer(async (call, store) => {
      const evil = await call('/ticket', { cookie: 'user=alice', origin: 'https://evil.example' });
      assert.equal(evil.status, 403);
      const fetchMeta = await call('/ticket', { cookie: 'user=alice', 'sec-fetch-site': 'cross-site' });
      assert.equal(fetchMeta.status, 403);
      assert.equal((await store.list()).length, 0);
      const sameHost = await call('/ticket', { cookie: 'user=alice', origin: 'https://127.0.0.1' });
      assert.equal(sameHost.status, 403); // the port differs, so the host differs
    }));

  it('accepts its own host and explicitly allowed origins', () =>
    withTicketServer(
      async (call) => {
        assert.equal(
          (await call('/ticket', { cookie: 'user=alice', origin: 'https://app.example' })).status,
          200,
        );
        assert.equal(
          (
            await call('/ticket', {
              cookie: 'user=alice',
              host: 'uploads.example',
              origin: 'https://uploads.example',
            })
          ).status,
          200,
        );
      },
      { allowedOrigins: ['https://app.example'] },
    ));

  it('answers 400 with the OSS code when the request asks for something the policy forbids', () =>
    withTicketServer(async (call) => {
      const response = await call('/ticket?type=text/html', { cookie: 'user=alice' });
      assert.equal(response.status, 400);
      assert.equal((response.json() as { error: string }).error, 'InvalidArgument');
    }));

  it('lists only the signed-in user’s records, filtered by status', () =>
    withTicketServer(async (call) => {
      await call('/ticket', { cookie: 'user=alice' });
      await call('/ticket', { cookie: 'user=alice' });
      await call('/ticket', { cookie: 'user=bob' });
      const alice = (await call('/records', { cookie: 'user=alice' })).json() as {
        records: Array<Record<string, unknown>>;
      };
      assert.equal(alice.records.length, 2);
      assert.ok(alice.records.every((record) => String(record.key).startsWith('uploads/alice/')));
      assert.equal(alice.records[0]?.replyJson, undefined);
      const confirmed = (await call('/records?status=confirmed', { cookie: 'user=alice' })).json() as {
        records: unknown[];
      };
      assert.equal(confirmed.records.length, 0);
      assert.equal((await call('/records?status=bogus', { cookie: 'user=alice' })).status, 400);
      assert.equal((await call('/records')).status, 401);
    }));
});
