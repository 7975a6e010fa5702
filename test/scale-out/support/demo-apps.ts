// The application side of the scale-out test: two instances of the demo's own app server (startDemoApp,
// apps/demo) over the gateway cluster as external storage, sharing their upload records in one
// PostgreSQL schema — the app half of docs/scale-out.md. They issue the tickets (POST /api/tickets) and
// confirm uploads through their signed-callback route, trusting only the cluster's shared callback key.
// The test reads the records straight from PostgreSQL (readRecordRows), not through either app.
import { mkdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { startDemoApp, type RunningDemoApp } from '../../../apps/demo/src/system/start-demo-app.js';

export interface DemoAppsSettings {
  readonly databaseUrl: string;
  /** Where the apps send browsers (one gateway; a load balancer in production). */
  readonly storageEndpoint: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly callbackKeyUrl: string;
  readonly callbackKeyPem: string;
  readonly dataDir: string;
  readonly maxSizeBytes: number;
}

export interface RecordRow {
  readonly id: string;
  readonly status: string;
  readonly objectKey: string | null;
  readonly size: number | null;
  readonly etag: string | null;
  readonly replyJson: string | null;
}

export interface DemoApps {
  readonly apps: readonly RunningDemoApp[];
  readonly schema: string;
  /** Every row of the shared upload_records table, read with a fresh connection. */
  readRecordRows(): Promise<RecordRow[]>;
  close(): Promise<void>;
}

/** The body type every scale-out upload declares (signed into form policies by the demo's limits). */
export const scaleOutContentType = 'application/octet-stream';

async function withClient<T>(databaseUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

interface RecordTableRow {
  readonly id: string;
  readonly status: string;
  readonly object_key: string | null;
  /** bigint: pg returns it as a string. */
  readonly size: string | null;
  readonly etag: string | null;
  readonly reply_json: string | null;
}

function toRecordRow(row: RecordTableRow): RecordRow {
  return {
    id: row.id,
    status: row.status,
    objectKey: row.object_key,
    size: row.size === null ? null : Number(row.size),
    etag: row.etag,
    replyJson: row.reply_json,
  };
}

export async function startDemoApps(settings: DemoAppsSettings, count = 2): Promise<DemoApps> {
  const schema = `upcall_scaleout_${randomBytes(6).toString('hex')}`;
  const storage = {
    endpoint: settings.storageEndpoint,
    bucket: 'uploads',
    region: 'cn-hangzhou',
    credentials: { accessKeyId: settings.accessKeyId, accessKeySecret: settings.accessKeySecret },
    callbackKeyUrl: settings.callbackKeyUrl,
    callbackKeyPem: settings.callbackKeyPem,
  };
  const apps: RunningDemoApp[] = [];
  try {
    for (let i = 0; i < count; i += 1) {
      const dataDir = join(settings.dataDir, `app-${i}`);
      await mkdir(dataDir, { recursive: true });
      apps.push(
        await startDemoApp({
          storage,
          dataDir,
          databaseUrl: settings.databaseUrl,
          databaseSchema: schema,
          appPort: 0,
          shutdownGraceMs: 1000,
          limits: { maxSizeBytes: settings.maxSizeBytes, allowedContentTypes: [scaleOutContentType] },
        }),
      );
    }
  } catch (error) {
    await Promise.all(apps.map((app) => app.close()));
    throw error;
  }
  return {
    apps,
    schema,
    readRecordRows: () =>
      withClient(settings.databaseUrl, async (client) => {
        const result = await client.query<RecordTableRow>(
          `SELECT id, status, object_key, size, etag, reply_json FROM "${schema}".upload_records ORDER BY id`,
        );
        return result.rows.map(toRecordRow);
      }),
    close: async () => {
      await Promise.all(apps.map((app) => app.close()));
      await withClient(settings.databaseUrl, (client) =>
        client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`),
      );
    },
  };
}
