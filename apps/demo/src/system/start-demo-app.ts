// The demo's app server on its own, over storage it does not run: a storage cluster of several
// `upcall server --store s3` instances behind a load balancer, or any one Upcall server. Several such
// app instances share upload records through PostgreSQL (DATABASE_URL) — the app half of the scale-out
// picture in docs/scale-out.md. startDemoSystem (embedded storage) builds on serveDemoApp too.
import { createDemoApp, type DemoApp } from '../create-demo-app.js';
import type { DemoLimits } from '../demo-limits.js';
import type { StorageConnection } from '../storage-connection.js';
import { listenHttp, type HttpListener } from './listen-http.js';
import { openDemoRecords, type DemoRecords } from './open-demo-records.js';

export interface DemoAppServerOptions {
  readonly dataDir: string;
  /** `postgres://…` for records shared by several app instances; default SQLite in the data dir. */
  readonly databaseUrl?: string;
  /** PostgreSQL schema of the records table (default 'public'). */
  readonly databaseSchema?: string;
  readonly limits?: DemoLimits;
  /** Overrides the callback URL in tickets (behind a load balancer: its URL, not this instance's). */
  readonly callbackUrl?: string;
  readonly onAppError?: (route: string, error: unknown) => void;
}

export interface StartDemoAppOptions extends DemoAppServerOptions {
  /** The storage the browser uploads to and whose callback key the app trusts. */
  readonly storage: StorageConnection;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 3000; 0 = any free port. */
  readonly appPort?: number;
  /** Grace period for in-flight requests on close (default 5000 ms). */
  readonly shutdownGraceMs?: number;
}

export interface RunningDemoApp {
  readonly appUrl: string;
  readonly connection: StorageConnection;
  readonly app: DemoApp;
  /** Which record store is in use ('sqlite' | 'postgres') and where, for the banner. */
  readonly records: Pick<DemoRecords, 'kind' | 'description'>;
  close(): Promise<void>;
  closeNow(): void;
}

/**
 * Opens the records (a PostgreSQL that does not answer fails here, at start, not at the first upload),
 * builds the app and puts it behind `listener`.
 */
export async function serveDemoApp(
  listener: HttpListener,
  storage: StorageConnection,
  options: DemoAppServerOptions,
): Promise<{ app: DemoApp; records: DemoRecords }> {
  const records = openDemoRecords({
    dataDir: options.dataDir,
    ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
    ...(options.databaseSchema === undefined ? {} : { databaseSchema: options.databaseSchema }),
    onDatabaseError: (error) => options.onAppError?.('records', error),
  });
  try {
    await records.store.list({ limit: 1 });
    const app = await createDemoApp({
      storage,
      dataDir: options.dataDir,
      appUrl: listener.url,
      records: records.store,
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      ...(options.callbackUrl === undefined ? {} : { callbackUrl: options.callbackUrl }),
      ...(options.onAppError === undefined ? {} : { onError: options.onAppError }),
    });
    listener.setHandler(app.handle);
    return { app, records };
  } catch (error) {
    await records.store.close();
    throw error;
  }
}

export async function startDemoApp(options: StartDemoAppOptions): Promise<RunningDemoApp> {
  const graceMs = options.shutdownGraceMs ?? 5000;
  const listener = await listenHttp(options.host ?? '127.0.0.1', options.appPort ?? 3000);
  let served: Awaited<ReturnType<typeof serveDemoApp>>;
  try {
    served = await serveDemoApp(listener, options.storage, options);
  } catch (error) {
    await listener.close(0);
    throw error;
  }
  const { app, records } = served;
  let closing: Promise<void> | undefined;
  return {
    appUrl: listener.url,
    connection: options.storage,
    app,
    records: { kind: records.kind, description: records.description },
    close: () =>
      (closing ??= (async () => {
        await listener.close(graceMs);
        await app.close();
      })()),
    closeNow: () => listener.closeAllConnections(),
  };
}
