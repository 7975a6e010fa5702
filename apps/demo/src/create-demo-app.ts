// The demo's app server: app-kit's handlers plus the demo's own routes, served from node:http. All state
// is the SQLite record store in `<dataDir>/demo/uploads.sqlite`; storage is reached through
// StorageConnection only, so the same app runs against Alibaba Cloud OSS with other connection values.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  SqliteUploadRecordStore,
  toNodeHandler,
  type NodeHandler,
  type UploadRecordStore,
  type WebHandler,
} from '@upcall/app-kit';
import { defaultDemoLimits, resolveMultipartLimits, type DemoLimits } from './demo-limits.js';
import { bundlePageScript } from './page/bundle-page-script.js';
import { createPageRoutes } from './page/create-page-routes.js';
import { createCallbackRoute } from './routes/create-callback-route.js';
import { createMultipartRoutes } from './routes/create-multipart-routes.js';
import { createReconcileRoute } from './routes/create-reconcile-route.js';
import { createThumbnailRoute } from './routes/create-thumbnail-route.js';
import { createTicketRoute } from './routes/create-ticket-route.js';
import { createUploadsRoute } from './routes/create-uploads-route.js';
import { createSdkDemoRoutes } from './sdk-page/create-sdk-demo-routes.js';
import type { StorageConnection } from './storage-connection.js';
import { createStorageLister } from './storage/create-storage-lister.js';

export interface DemoAppOptions {
  readonly storage: StorageConnection;
  /** Records live in `<dataDir>/demo/uploads.sqlite`. */
  readonly dataDir: string;
  /** Where the app is reachable, e.g. `http://127.0.0.1:3000`. */
  readonly appUrl: string;
  readonly limits?: DemoLimits;
  /** Put into every ticket; default `<appUrl>/api/oss-callback`. Tests point it at a dead port. */
  readonly callbackUrl?: string;
  readonly now?: () => number;
  /** Refusals and failures of every route, for logging. */
  readonly onError?: (route: string, error: unknown) => void;
  /** The page script; default bundlePageScript() (esbuild, in memory). */
  readonly pageScript?: string;
  /** Upload records (closed by close()); default SQLite in `<dataDir>/demo/uploads.sqlite`. */
  readonly records?: UploadRecordStore;
}

export interface DemoApp {
  readonly handle: NodeHandler;
  readonly store: UploadRecordStore;
  readonly callbackUrl: string;
  readonly limits: DemoLimits;
  close(): Promise<void>;
}

export function openDemoRecordStore(dataDir: string): SqliteUploadRecordStore {
  const dir = join(dataDir, 'demo');
  mkdirSync(dir, { recursive: true });
  return new SqliteUploadRecordStore({ path: join(dir, 'uploads.sqlite') });
}

function buildRoutes(
  options: DemoAppOptions,
  store: UploadRecordStore,
  script: string,
  callbackUrl: string,
): Map<string, WebHandler> {
  const { storage } = options;
  const limits = options.limits ?? defaultDemoLimits;
  const common = (route: string) => ({
    store,
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.onError === undefined
      ? {}
      : { onError: (error: unknown) => options.onError?.(route, error) }),
  });
  const page = createPageRoutes({ limits, script, storageOrigin: storage.endpoint });
  const listObjects = createStorageLister(storage, options.now === undefined ? {} : { now: options.now });
  return new Map<string, WebHandler>([
    ['/', page.page],
    ['/app.js', page.script],
    ['/app.css', page.styles],
    ['/api/tickets', createTicketRoute({ ...common('tickets'), storage, limits, callbackUrl })],
    ['/api/oss-callback', createCallbackRoute({ ...common('oss-callback'), storage })],
    ['/api/uploads', createUploadsRoute(common('uploads'))],
    ['/api/thumbnail-url', createThumbnailRoute({ ...common('thumbnail-url'), storage })],
    ['/api/reconcile', createReconcileRoute({ ...common('reconcile'), listObjects })],
    ...createMultipartRoutes({
      ...common('multipart'),
      storage,
      limits: resolveMultipartLimits(limits),
      callbackUrl,
    }),
  ]);
}

function sendJsonError(res: ServerResponse, status: number, error: string): void {
  const body = JSON.stringify({ error });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * The Host names this app answers to. A DNS-rebinding page (evil.example resolving to 127.0.0.1) would
 * send its own name as Host and as Origin, which the same-origin checks alone would accept.
 */
export function buildAllowedHosts(appUrl: string): ReadonlySet<string> {
  const url = new URL(appUrl);
  const port = url.port === '' ? '' : `:${url.port}`;
  return new Set([url.host.toLowerCase(), `localhost${port}`]);
}

/** The path of a request target, without parsing it as a URL against anything. */
function readPath(req: IncomingMessage): string {
  const target = req.url ?? '/';
  const end = target.search(/[?#]/);
  return end === -1 ? target : target.slice(0, end);
}

export async function createDemoApp(options: DemoAppOptions): Promise<DemoApp> {
  const script = options.pageScript ?? (await bundlePageScript());
  const store = options.records ?? openDemoRecordStore(options.dataDir);
  const callbackUrl = options.callbackUrl ?? `${options.appUrl.replace(/\/+$/, '')}/api/oss-callback`;
  // The /sdk page (ali-oss in the browser with STS credentials): sdk-page/create-sdk-demo-routes.ts.
  const sdkRoutes = await createSdkDemoRoutes({
    store,
    storage: options.storage,
    callbackUrl,
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.onError === undefined ? {} : { onError: (error) => options.onError?.('sdk', error) }),
  });
  const routes = new Map(
    [...buildRoutes(options, store, script, callbackUrl), ...sdkRoutes].map(([path, handler]) => [
      path,
      toNodeHandler(handler),
    ]),
  );
  const allowedHosts = buildAllowedHosts(options.appUrl);
  return {
    handle: (req, res) => {
      const handler = routes.get(readPath(req));
      if (!allowedHosts.has((req.headers.host ?? '').toLowerCase())) sendJsonError(res, 421, 'unknown-host');
      else if (handler === undefined) sendJsonError(res, 404, 'not-found');
      else handler(req, res);
    },
    store,
    callbackUrl,
    limits: options.limits ?? defaultDemoLimits,
    close: () => store.close(),
  };
}
