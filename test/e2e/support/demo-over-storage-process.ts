// The demo with its storage server in a child process (`upcall server`, app-kit-storage-process.ts) and
// the demo app in this process, so the storage server's memory can be read on its own from
// /proc/<pid> while bytes flow through it. On 127.0.0.1 the server's default CORS rule is `*` with ETag
// exposed (oss-protocol §12), which the page's part PUTs need. Every confirm() outcome of the app's real
// SQLite record store is logged ("confirmed once", app-kit-confirm-log.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoApp, openDemoRecordStore, type DemoApp } from '@upcall/demo';
import { listenHttp } from '../../../apps/demo/src/system/listen-http.js';
import { parseBannerRows } from './ali-oss-cli-server.js';
import { logConfirmOutcomes, type LoggedStore } from './app-kit-confirm-log.js';
import { startStorageProcess, type StorageProcess } from './app-kit-storage-process.js';

export interface DemoOverStorageProcess {
  readonly appUrl: string;
  readonly app: DemoApp;
  readonly storage: StorageProcess;
  readonly confirmOutcomes: LoggedStore['outcomes'];
  /** Route errors the app reported (callback refusals, …). */
  readonly appErrors: string[];
  stop(): Promise<void>;
}

/**
 * The exact x-oss-pub-key-url the server sends with callbacks: its banner's `callback key URL` row (the
 * fingerprinted URL), which app-kit compares character for character (threats §B3); the stable URL
 * startStorageProcess pins would make the app refuse every callback.
 */
function readSentKeyUrl(storage: StorageProcess): string {
  const row = parseBannerRows(storage.server.output()).get('callback key URL');
  const url = row?.split(/\s+/)[0];
  if (url === undefined || url === '') throw new Error('the server banner has no callback key URL');
  return url;
}

export async function startDemoOverStorageProcess(): Promise<DemoOverStorageProcess> {
  const rootDir = await mkdtemp(join(tmpdir(), 'upcall-e2e-demo-process-'));
  const appErrors: string[] = [];
  const storage = await startStorageProcess(join(rootDir, 'storage'));
  const connection = { ...storage.connection, callbackKeyUrl: readSentKeyUrl(storage) };
  const listener = await listenHttp('127.0.0.1', 0);
  const logged = logConfirmOutcomes(openDemoRecordStore(join(rootDir, 'app')));
  const app = await createDemoApp({
    storage: connection,
    dataDir: join(rootDir, 'app'),
    appUrl: listener.url,
    records: logged.store,
    onError: (route, error) => appErrors.push(`${route}: ${String(error)}`),
  }).catch(async (error: unknown) => {
    await listener.close(0);
    await storage.server.kill();
    throw error;
  });
  listener.setHandler(app.handle);
  return {
    appUrl: listener.url,
    app,
    storage: { ...storage, connection },
    confirmOutcomes: logged.outcomes,
    appErrors,
    stop: async () => {
      await listener.close(1000);
      await app.close();
      await storage.server.stop(5000);
      await rm(rootDir, { recursive: true, force: true });
    },
  };
}
