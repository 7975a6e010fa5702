// `npm start` → scripts/start.mjs → here: start storage + app in this process, print where to go, run
// until SIGINT/SIGTERM, then stop both cleanly (in-flight requests get a grace period; a second signal
// cuts it short). Flags win over environment: --port/DEMO_PORT, --upcall-port/UPCALL_PORT,
// --data-dir/UPCALL_DATA_DIR. Other UPCALL_* variables reach the storage server as for `upcall server`.
// DATABASE_URL (and DEMO_PG_SCHEMA) put the upload records in PostgreSQL; DEMO_STORAGE_ENDPOINT runs the
// app alone over external storage (read-external-storage.ts) — both for several app instances
// (docs/scale-out.md).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, type Env } from '@upcall/server';
import {
  externalStorageUsage,
  readExternalConnection,
  readExternalStorage,
  type ExternalStorageSettings,
} from './read-external-storage.js';
import { startDemoApp, type RunningDemoApp } from './start-demo-app.js';
import { startDemoSystem, type RunningDemoSystem } from './start-demo-system.js';

export interface DemoCliIo {
  readonly env: Env;
  readonly cwd: string;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly signals: Pick<NodeJS.EventEmitter, 'on' | 'removeListener'>;
}

export interface DemoCliSettings {
  readonly appPort: number;
  readonly storagePort: number;
  readonly dataDir: string;
  /** DATABASE_URL: records in PostgreSQL; undefined = SQLite in the data dir. */
  readonly databaseUrl?: string;
  /** DEMO_PG_SCHEMA (default public). */
  readonly databaseSchema?: string;
  /** DEMO_STORAGE_ENDPOINT and friends: no embedded storage server. */
  readonly externalStorage?: ExternalStorageSettings;
}

export const demoUsage = `Usage: npm start -- [--port N] [--upcall-port N] [--data-dir DIR]

  --port N          demo app port (env DEMO_PORT, default 3000; 0 = any free port)
  --upcall-port N   storage server port (env UPCALL_PORT, default 9000; 0 = any free port)
  --data-dir DIR    objects, keys and upload records (env UPCALL_DATA_DIR, default ./.upcall)

Upload records in PostgreSQL, shared by several demo app instances:
  DATABASE_URL      postgres://user:password@host:port/db (default: SQLite in the data dir)
  DEMO_PG_SCHEMA    schema of the upload_records table (default public)

${externalStorageUsage}`;

function readPort(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined || text.trim() === '') return fallback;
  const value = /^\d{1,5}$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!(value >= 0 && value <= 65535))
    throw new ConfigError([`${name}=${JSON.stringify(text)}: must be a port 0-65535.`]);
  return value;
}

/** Throws ConfigError on bad values; returns undefined for --help. */
export function parseDemoCliArgs(
  argv: readonly string[],
  env: Env,
  cwd: string,
): DemoCliSettings | undefined {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        'upcall-port': { type: 'string' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
  if (values.help === true) return undefined;
  const text = (value: string | boolean | undefined): string | undefined =>
    typeof value === 'string' ? value : undefined;
  return {
    appPort: readPort(
      text(values.port) ?? env.DEMO_PORT,
      3000,
      values.port === undefined ? 'DEMO_PORT' : '--port',
    ),
    storagePort: readPort(
      text(values['upcall-port']) ?? env.UPCALL_PORT,
      9000,
      values['upcall-port'] === undefined ? 'UPCALL_PORT' : '--upcall-port',
    ),
    dataDir: resolve(cwd, text(values['data-dir']) ?? env.UPCALL_DATA_DIR ?? './.upcall'),
    ...readRecordsEnv(env),
    ...withExternalStorage(readExternalStorage(env, cwd)),
  };
}

function readRecordsEnv(env: Env): Pick<DemoCliSettings, 'databaseUrl' | 'databaseSchema'> {
  const databaseUrl = env.DATABASE_URL?.trim();
  const databaseSchema = env.DEMO_PG_SCHEMA?.trim();
  return {
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(databaseSchema ? { databaseSchema } : {}),
  };
}

function withExternalStorage(
  externalStorage: ExternalStorageSettings | undefined,
): Pick<DemoCliSettings, 'externalStorage'> {
  return externalStorage === undefined ? {} : { externalStorage };
}

export function renderDemoBanner(system: RunningDemoApp | RunningDemoSystem, dataDir: string): string {
  const { connection } = system;
  const external = 'storage' in system ? '' : ', external';
  const rows: Array<[string, string]> = [
    ['storage server', `${connection.endpoint}  (bucket ${connection.bucket}${external})`],
    ['access key id', connection.credentials.accessKeyId],
    ['callback key URL', connection.callbackKeyUrl],
    ['app server', system.appUrl],
    ['callback URL', system.app.callbackUrl],
    ['record store', system.records.description],
    ['data dir', dataDir],
  ];
  const lines = rows.map(([label, value]) => `  ${label.padEnd(18)}${value}`);
  return `Upcall demo is running\n${lines.join('\n')}\n\nOpen ${system.appUrl}\nPress Ctrl-C to stop.\n`;
}

function waitForShutdown(io: DemoCliIo, system: RunningDemoApp): Promise<number> {
  return new Promise((resolveExit) => {
    let stopping = false;
    const onSignal = (): void => {
      if (stopping) {
        system.closeNow(); // npm forwards Ctrl-C too, so a second signal is common: just hurry up
        return;
      }
      stopping = true;
      io.stdout.write('\nStopping…\n');
      system.close().then(
        () => finish(0),
        (error: unknown) => {
          io.stderr.write(`demo: shutdown failed: ${String(error)}\n`);
          finish(1);
        },
      );
    };
    const finish = (code: number): void => {
      io.signals.removeListener('SIGINT', onSignal);
      io.signals.removeListener('SIGTERM', onSignal);
      io.stdout.write('Stopped.\n');
      resolveExit(code);
    };
    io.signals.on('SIGINT', onSignal);
    io.signals.on('SIGTERM', onSignal);
  });
}

function describeStartError(error: unknown, settings: DemoCliSettings): string {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    return `a port is already in use (app ${settings.appPort}, storage ${settings.storagePort}); choose others with DEMO_PORT / UPCALL_PORT`;
  }
  return error instanceof Error ? error.message : String(error);
}

function processIo(): DemoCliIo {
  return {
    env: process.env,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    signals: process,
  };
}

/** Embedded storage + app, or the app alone over external storage (DEMO_STORAGE_ENDPOINT). */
async function startFromSettings(settings: DemoCliSettings, io: DemoCliIo): Promise<RunningDemoApp> {
  const { externalStorage, ...common } = settings;
  const onAppError = (route: string, error: unknown): void => {
    io.stderr.write(`demo: ${route}: ${error instanceof Error ? error.message : String(error)}\n`);
  };
  if (externalStorage === undefined) return startDemoSystem({ ...common, env: io.env, onAppError });
  const storage = await readExternalConnection(externalStorage);
  return startDemoApp({ ...common, storage, onAppError });
}

/** Resolves to the exit code: 0 after a clean stop, 1 when starting failed, 2 for bad flags. */
export async function runDemoCli(argv: readonly string[], io: DemoCliIo = processIo()): Promise<number> {
  let settings: DemoCliSettings | undefined;
  let system: RunningDemoApp;
  try {
    settings = parseDemoCliArgs(argv, io.env, io.cwd);
    if (settings === undefined) {
      io.stdout.write(demoUsage);
      return 0;
    }
    system = await startFromSettings(settings, io);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(
        `demo: invalid configuration\n${error.problems.map((p) => `  ${p}`).join('\n')}\n${demoUsage}`,
      );
      return 2;
    }
    io.stderr.write(
      `demo: could not start: ${settings === undefined ? String(error) : describeStartError(error, settings)}\n`,
    );
    return 1;
  }
  io.stdout.write(renderDemoBanner(system, settings.dataDir));
  return waitForShutdown(io, system);
}
