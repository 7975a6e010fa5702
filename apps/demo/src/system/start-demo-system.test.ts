import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fetchTicketSource, fetchTransport, uploadFile, type UploadResult } from '@upcall/client';
import { startDemoSystem, type DemoSystemOptions, type RunningDemoSystem } from './start-demo-system.js';

const quiet = { appPort: 0, storagePort: 0, storageLogLevel: 'silent', shutdownGraceMs: 500 } as const;

async function openSession(system: RunningDemoSystem): Promise<string> {
  const response = await fetch(system.appUrl);
  await response.text();
  return (response.headers.get('set-cookie') ?? '').split(';')[0]!;
}

function upload(system: RunningDemoSystem, cookie: string, file: File): Promise<UploadResult> {
  const tickets = fetchTicketSource(`${system.appUrl}/api/tickets`, { headers: { cookie } });
  return uploadFile(file, tickets, { transport: fetchTransport, retry: { maxAttempts: 1 } });
}

async function getJson(system: RunningDemoSystem, path: string, cookie: string) {
  const response = await fetch(`${system.appUrl}${path}`, { headers: { cookie } });
  return { status: response.status, body: (await response.json()) as unknown };
}

async function findClosedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

describe('the demo system (storage server + app server in one process)', () => {
  let dataDir: string;
  let system: RunningDemoSystem;
  let alice: string;
  let bob: string;
  const image = new File([Buffer.from('not really a png, but typed as one')], 'dot.png', {
    type: 'image/png',
  });
  const start = (extra: Partial<DemoSystemOptions> = {}) => startDemoSystem({ ...quiet, dataDir, ...extra });

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'upcall-demo-system-'));
    system = await start();
    [alice, bob] = [await openSession(system), await openSession(system)];
  });
  after(async () => {
    await system.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('confirms an upload through the signed callback and lists it for its owner only', async () => {
    const result = await upload(system, alice, image);
    assert.equal(result.status, 'confirmed');
    const bytes = Buffer.from(await image.arrayBuffer());
    const etag = createHash('md5').update(bytes).digest('hex').toUpperCase();
    const { body } = result as { body: Record<string, unknown> };
    assert.deepEqual(body, {
      status: 'confirmed',
      uploadId: result.uploadId,
      key: result.key,
      size: bytes.length,
      etag,
      mimeType: 'image/png',
    });
    const records = (await getJson(system, '/api/uploads', alice)).body as Array<Record<string, unknown>>;
    assert.equal(records.length, 1);
    assert.deepEqual(Object.keys(records[0]!).sort(), [
      'confirmedAt',
      'createdAt',
      'etag',
      'fileName',
      'id',
      'key',
      'mimeType',
      'size',
      'status',
    ]);
    assert.deepEqual(
      { ...records[0], createdAt: 0, confirmedAt: 0 },
      {
        id: result.uploadId,
        key: result.key,
        status: 'confirmed',
        size: bytes.length,
        etag,
        mimeType: 'image/png',
        fileName: 'dot.png',
        createdAt: 0,
        confirmedAt: 0,
      },
    );
    assert.deepEqual((await getJson(system, '/api/uploads', bob)).body, []);
  });

  it('presigns thumbnails of the owner’s confirmed images only', async () => {
    const [record] = (await getJson(system, '/api/uploads', alice)).body as Array<{ id: string }>;
    const own = await getJson(system, `/api/thumbnail-url?id=${record!.id}`, alice);
    assert.equal(own.status, 200);
    const fetched = await fetch((own.body as { url: string }).url);
    assert.deepEqual(Buffer.from(await fetched.arrayBuffer()), Buffer.from(await image.arrayBuffer()));
    assert.equal((await getJson(system, `/api/thumbnail-url?id=${record!.id}`, bob)).status, 404);
    const text = await upload(system, alice, new File(['plain'], 'a.txt', { type: 'text/plain' }));
    const notImage = await getJson(system, `/api/thumbnail-url?id=${text.uploadId}`, alice);
    assert.deepEqual([notImage.status, notImage.body], [409, { error: 'not-an-image' }]);
  });

  it('leaves an object whose callback failed stored-unconfirmed, and reconciliation records it', async () => {
    const deadPort = await findClosedPort();
    await system.close();
    system = await start({ callbackUrl: `http://127.0.0.1:${deadPort}/api/oss-callback` });
    const carol = await openSession(system);
    const result = await upload(system, carol, new File(['orphan'], 'orphan.txt', { type: 'text/plain' }));
    assert.equal(result.status, 'stored-unconfirmed');
    const [pending] = (await getJson(system, '/api/uploads', carol)).body as Array<Record<string, unknown>>;
    assert.equal(pending?.status, 'pending');
    const reconcile = await fetch(`${system.appUrl}/api/reconcile`, {
      method: 'POST',
      headers: { cookie: carol },
    });
    assert.deepEqual(await reconcile.json(), {
      checked: 1,
      markedStoredUnconfirmed: 1,
      expired: 0,
      ambiguous: 0,
    });
    const [stored] = (await getJson(system, '/api/uploads', carol)).body as Array<Record<string, unknown>>;
    assert.deepEqual([stored?.status, stored?.size, stored?.confirmedAt], ['stored-unconfirmed', 6, null]);
  });

  it('reuses the access keys, the callback key and the records on a second start', async () => {
    const first = system.connection;
    await system.close();
    system = await start();
    assert.deepEqual(system.connection.credentials, first.credentials);
    assert.equal(system.connection.callbackKeyPem, first.callbackKeyPem);
    const records = (await getJson(system, '/api/uploads', alice)).body as unknown[];
    assert.equal(records.length, 2);
    assert.equal((await upload(system, alice, image)).status, 'confirmed');
  });
});
