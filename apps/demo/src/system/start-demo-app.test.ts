// The demo with its records in a real PostgreSQL (DATABASE_URL; scripts/services/postgres-start.sh) and
// two app instances over one storage server they do not run: a ticket from one instance is confirmed
// through the other's callback route, and both list the same record (docs/scale-out.md).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { fetchTicketSource, fetchTransport, uploadFile, type UploadResult } from '@upcall/client';
import { renderDemoBanner } from './run-demo-cli.js';
import { startDemoApp, type RunningDemoApp } from './start-demo-app.js';
import { startDemoSystem, type RunningDemoSystem } from './start-demo-system.js';
import { maskDatabaseUrl } from './open-demo-records.js';

const databaseUrl = process.env.DATABASE_URL ?? '';
const skip =
  databaseUrl === ''
    ? 'DATABASE_URL is not set: start PostgreSQL with `set -a; eval "$(bash scripts/services/postgres-start.sh)"; set +a`'
    : false;
const quiet = { appPort: 0, storagePort: 0, storageLogLevel: 'silent', shutdownGraceMs: 500 } as const;

async function openSession(appUrl: string): Promise<string> {
  const response = await fetch(appUrl);
  await response.text();
  return (response.headers.get('set-cookie') ?? '').split(';')[0]!;
}

function upload(app: RunningDemoApp, cookie: string, file: File): Promise<UploadResult> {
  const tickets = fetchTicketSource(`${app.appUrl}/api/tickets`, { headers: { cookie } });
  return uploadFile(file, tickets, { transport: fetchTransport, retry: { maxAttempts: 1 } });
}

async function queryRecord(schema: string, id: string): Promise<Record<string, unknown> | undefined> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query(`SELECT * FROM "${schema}".upload_records WHERE id = $1`, [id]);
    return result.rows[0] as Record<string, unknown> | undefined;
  } finally {
    await client.end();
  }
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

describe('the demo with upload records in PostgreSQL', { skip }, () => {
  const schema = `demo_pg_${randomBytes(5).toString('hex')}`;
  let dataDir: string;
  let system: RunningDemoSystem;
  const apps: RunningDemoApp[] = [];

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'upcall-demo-pg-'));
    system = await startDemoSystem({ ...quiet, dataDir, databaseUrl, databaseSchema: schema });
  });
  after(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await system?.close();
    await dropSchema(schema);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('names PostgreSQL, without the password, as the record store in the start banner', () => {
    assert.equal(system.records.kind, 'postgres');
    const banner = renderDemoBanner(system, dataDir);
    assert.match(
      banner,
      new RegExp(`record store\\s+PostgreSQL postgres://\\S+ \\(table ${schema}\\.upload_records\\)`),
    );
    assert.equal(maskDatabaseUrl('postgres://u:secret@db:5432/x'), 'postgres://u:***@db:5432/x');
  });

  it('confirms an upload in the PostgreSQL table, not in SQLite', async () => {
    const cookie = await openSession(system.appUrl);
    const result = await upload(system, cookie, new File(['in postgres'], 'pg.txt', { type: 'text/plain' }));
    assert.equal(result.status, 'confirmed');
    const row = await queryRecord(schema, result.uploadId ?? '');
    assert.equal(row?.status, 'confirmed');
    assert.equal(row?.object_key, result.key);
    assert.equal(existsSync(join(dataDir, 'demo', 'uploads.sqlite')), false, 'no SQLite file was made');
  });

  it('lets two app instances over external storage share the records: ticket from one, callback to the other', async () => {
    const options = { dataDir, databaseUrl, databaseSchema: schema, appPort: 0, shutdownGraceMs: 500 };
    const two = await startDemoApp({ ...options, storage: system.connection });
    apps.push(two);
    const one = await startDemoApp({
      ...options,
      storage: system.connection,
      callbackUrl: `${two.appUrl}/api/oss-callback`,
    });
    apps.push(one);
    assert.match(renderDemoBanner(one, dataDir), /\(bucket uploads, external\)/);
    const cookie = await openSession(one.appUrl);
    const result = await upload(one, cookie, new File(['shared'], 'shared.txt', { type: 'text/plain' }));
    assert.equal(result.status, 'confirmed');
    for (const app of [one, two]) {
      const listed = await fetch(`${app.appUrl}/api/uploads`, { headers: { cookie } });
      const records = (await listed.json()) as Array<{ id: string; status: string }>;
      assert.deepEqual(
        records.map((r) => [r.id, r.status]),
        [[result.uploadId, 'confirmed']],
      );
    }
  });
});
