// The whole demo in one process: Upcall's storage server (startServer, filesystem store in the data dir,
// bucket created, CORS for the demo origin, callback targets `dev` so loopback callbacks are allowed)
// and the demo app server (serveDemoApp: records in SQLite, or PostgreSQL when databaseUrl is given).
// Keys come from the data dir, so a second start reuses the access key pair and the callback key. Used by
// `npm start` (run-demo-cli.ts) and by the e2e tests; start-demo-app.ts runs the app over external storage.
import {
  parseServerFlags,
  resolveServerConfig,
  startServer,
  type Env,
  type LogLevel,
  type RunningServer,
} from '@upcall/server';
import type { DemoLimits } from '../demo-limits.js';
import type { StorageConnection } from '../storage-connection.js';
import { listenHttp, type HttpListener } from './listen-http.js';
import { serveDemoApp, type RunningDemoApp } from './start-demo-app.js';

export interface DemoSystemOptions {
  readonly dataDir: string;
  /** `postgres://…`: upload records in PostgreSQL (several app instances); default SQLite in dataDir. */
  readonly databaseUrl?: string;
  /** PostgreSQL schema of the records table (default 'public'). */
  readonly databaseSchema?: string;
  /** Default 127.0.0.1 (both servers). */
  readonly host?: string;
  /** Default 3000; 0 = any free port. */
  readonly appPort?: number;
  /** Default 9000; 0 = any free port. */
  readonly storagePort?: number;
  /** Default 'uploads'. */
  readonly bucket?: string;
  /** Default cn-hangzhou: V4 scopes need one; Upcall's server accepts any. */
  readonly region?: string;
  readonly limits?: DemoLimits;
  /** Overrides the callback URL in tickets (tests: a port where nothing listens). */
  readonly callbackUrl?: string;
  /** Storage server log level (default: UPCALL_LOG_LEVEL from `env`, else 'warn'). */
  readonly storageLogLevel?: LogLevel;
  /** UPCALL_* variables for settings the demo does not fix itself (default: none). */
  readonly env?: Env;
  /** Grace period for in-flight requests on close (default 5000 ms). */
  readonly shutdownGraceMs?: number;
  readonly onAppError?: (route: string, error: unknown) => void;
}

export interface RunningDemoSystem extends RunningDemoApp {
  readonly storage: RunningServer;
  /** Storage first (in-flight uploads finish, their callbacks still reach the app), then the app. */
  close(): Promise<void>;
  /** Cuts every grace period short. */
  closeNow(): void;
}

/** An explicit level wins; else UPCALL_LOG_LEVEL applies (as for `upcall server`); else warn, not info. */
function readLogLevelFlag(options: DemoSystemOptions): string[] {
  if (options.storageLogLevel !== undefined) return ['--log-level', options.storageLogLevel];
  return options.env?.UPCALL_LOG_LEVEL === undefined ? ['--log-level', 'warn'] : [];
}

async function startStorage(
  options: DemoSystemOptions,
  appUrl: string,
  host: string,
): Promise<RunningServer> {
  const { port } = new URL(appUrl);
  const argv = [
    ['--host', host],
    ['--port', String(options.storagePort ?? 9000)],
    ['--data-dir', options.dataDir],
    ['--bucket', options.bucket ?? 'uploads'],
    ['--callback-targets', 'dev'],
    ['--cors-origin', appUrl],
    ['--cors-origin', `http://localhost:${port}`],
    ['--shutdown-grace-ms', String(options.shutdownGraceMs ?? 5000)],
    readLogLevelFlag(options),
  ].flat();
  const flags = parseServerFlags(argv, options.env ?? {}, process.cwd());
  const { config } = await resolveServerConfig(flags);
  return startServer(config);
}

function describeConnection(storage: RunningServer, options: DemoSystemOptions): StorageConnection {
  const { config, callbackKey } = storage.deps;
  return {
    endpoint: storage.url,
    bucket: options.bucket ?? 'uploads',
    region: options.region ?? 'cn-hangzhou',
    credentials: { accessKeyId: config.accessKeyId, accessKeySecret: config.accessKeySecret },
    callbackKeyUrl: callbackKey.publicKeyUrl,
    // Pinned: the PEM of the key in the data dir, as the running server holds it; nothing is fetched.
    callbackKeyPem: callbackKey.publicKeyPem,
  };
}

async function startParts(options: DemoSystemOptions, listener: HttpListener, host: string) {
  const storage = await startStorage(options, listener.url, host);
  try {
    const connection = describeConnection(storage, options);
    const { app, records } = await serveDemoApp(listener, connection, options);
    return { storage, connection, app, records };
  } catch (error) {
    await storage.close();
    throw error;
  }
}

export async function startDemoSystem(options: DemoSystemOptions): Promise<RunningDemoSystem> {
  const host = options.host ?? '127.0.0.1';
  const graceMs = options.shutdownGraceMs ?? 5000;
  const listener = await listenHttp(host, options.appPort ?? 3000);
  let parts: Awaited<ReturnType<typeof startParts>>;
  try {
    parts = await startParts(options, listener, host);
  } catch (error) {
    await listener.close(0);
    throw error;
  }
  const { storage, connection, app, records } = parts;
  let closing: Promise<void> | undefined;
  return {
    appUrl: listener.url,
    storage,
    connection,
    app,
    records: { kind: records.kind, description: records.description },
    close: () =>
      (closing ??= (async () => {
        await storage.close();
        await listener.close(graceMs);
        await app.close();
      })()),
    closeNow: () => {
      storage.server.closeAllConnections();
      listener.closeAllConnections();
    },
  };
}
