// An application server built only from app-kit's public API, the way docs/app-kit.md shows it: ticket,
// callback and records handlers mounted with toNodeHandler on node:http (127.0.0.1, ephemeral port). Two
// callback routes trust Upcall's key in the two supported ways — `/upload/callback/fetched` allow-lists the
// server's exact key URL and fetches the PEM from it; `/upload/callback/pinned` pins the PEM for that URL.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createCallbackHandler,
  createCallbackKeyTrust,
  createRecordsHandler,
  createTicketHandler,
  toNodeHandler,
  type CallbackKeyTrust,
  type NodeHandler,
  type UploadRecordStore,
  type UploadTicket,
} from '@upcall/app-kit';
import { sendHttp } from '../../../packages/app-kit/src/test-support/serve-on-loopback.js';
import type { StorageEndpoint } from './app-kit-storage.js';

export type KeyTrustMode = 'fetched' | 'pinned';
export const keyTrustModes: readonly KeyTrustMode[] = ['fetched', 'pinned'];
export const allowedUploadTypes = ['image/png', 'text/plain'];

export interface AppKitAppOptions {
  readonly storage: StorageEndpoint;
  readonly store: UploadRecordStore;
  /** Makes this app's ticket ids and keys deterministic and distinct from other apps' on the same storage. */
  readonly seed: string;
  /** Origin the tickets' callback URLs point at (default: this app's own origin). */
  readonly callbackOrigin?: () => string;
}

export interface AppKitApp {
  readonly store: UploadRecordStore;
  /** Upload ids passed to onUploadConfirmed, in call order. */
  readonly hookCalls: string[];
  /** Key URLs the allow-list trust fetched (the pinned trust must never fetch). */
  readonly keyFetches: Array<{ readonly mode: KeyTrustMode; readonly url: string }>;
  /** Everything the handlers reported through onError. */
  readonly errors: unknown[];
  /** `http://127.0.0.1:<port>` of the running (or last) server. */
  origin(): string;
  /** Starts the HTTP server (again, on a new port after stop()); the store is untouched. */
  listen(): Promise<string>;
  /** Closes the HTTP server and its connections; the store stays open. */
  stop(): Promise<void>;
  requestTicket(user: string, query: Readonly<Record<string, string>>): Promise<UploadTicket>;
}

/**
 * The JSON onUploadConfirmed returns — what the uploader must receive, relayed by storage. `hookCall`
 * numbers the hook's invocations in this app, so two runs of the hook never return the same JSON and a
 * test can tell the first (stored) reply from a later one.
 */
export function buildAppReply(upload: {
  uploadId: string;
  key: string;
  size: number;
  etag: string;
  mimeType: string;
  hookCall: number;
}): Record<string, unknown> {
  return { ok: true, ...upload };
}

function buildTrust(
  mode: KeyTrustMode,
  storage: StorageEndpoint,
  keyFetches: AppKitApp['keyFetches'],
): CallbackKeyTrust {
  const { callbackKeyUrl, callbackKeyPem } = storage.connection;
  if (mode === 'pinned') {
    return createCallbackKeyTrust({
      pinnedKeys: { [callbackKeyUrl]: callbackKeyPem ?? '' },
      fetch: (url) => {
        keyFetches.push({ mode, url });
        return Promise.reject(new Error('a pinned key must never be fetched'));
      },
    });
  }
  return createCallbackKeyTrust({
    fetchKeyUrls: [callbackKeyUrl],
    fetch: (url, init) => {
      keyFetches.push({ mode, url });
      return fetch(url, init);
    },
  });
}

function seededRandom(seed: string): (size: number) => Uint8Array {
  let counter = 0;
  return (size) => {
    const bytes = createHash('sha512').update(`${seed}:${++counter}`).digest();
    if (size > bytes.length) throw new RangeError(`seededRandom gives at most ${bytes.length} bytes`);
    return bytes.subarray(0, size);
  };
}

function readUser(request: Request): string | undefined {
  return /(?:^|;\s*)user=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1];
}

function buildRoutes(options: AppKitAppOptions, app: Omit<AppKitApp, 'listen' | 'stop' | 'requestTicket'>) {
  const { storage, store } = options;
  const randomBytes = seededRandom(options.seed);
  const onError = (error: unknown): void => void app.errors.push(error);
  const tickets = createTicketHandler({
    store,
    getUserId: readUser,
    onError,
    ticketOptions: (request) => {
      const query = new URL(request.url).searchParams;
      const trust = query.get('trust') === 'fetched' ? 'fetched' : 'pinned';
      const callbackOrigin = options.callbackOrigin?.() ?? app.origin();
      return {
        credentials: storage.connection.credentials,
        signatureVersion: query.get('sig') === 'v1' ? 'v1' : 'v4',
        region: storage.connection.region,
        bucket: storage.connection.bucket,
        host: storage.uploadHost,
        filename: query.get('filename') ?? undefined,
        maxSizeBytes: 1024 * 1024,
        allowedContentTypes: allowedUploadTypes,
        callback: { urls: `${callbackOrigin}/upload/callback/${trust}` },
        randomBytes,
      };
    },
  });
  const callback = (mode: KeyTrustMode): NodeHandler =>
    toNodeHandler(
      createCallbackHandler({
        store,
        verifyOptions: { trust: buildTrust(mode, storage, app.keyFetches) },
        onError,
        onUploadConfirmed: (record, verified) => {
          const hookCall = app.hookCalls.push(record.id);
          const { object: key, size, etag, mimeType } = verified;
          return buildAppReply({ uploadId: record.id, key, size, etag, mimeType, hookCall });
        },
      }),
    );
  return new Map<string, NodeHandler>([
    ['GET /upload/ticket', toNodeHandler(tickets)],
    ['POST /upload/callback/fetched', callback('fetched')],
    ['POST /upload/callback/pinned', callback('pinned')],
    ['GET /upload/records', toNodeHandler(createRecordsHandler({ store, getUserId: readUser, onError }))],
  ]);
}

export function buildAppKitApp(options: AppKitAppOptions): AppKitApp {
  let server: Server | undefined;
  let origin: string | undefined;
  const state = {
    store: options.store,
    hookCalls: [] as string[],
    keyFetches: [] as AppKitApp['keyFetches'],
    errors: [] as unknown[],
    origin: (): string => origin ?? assertNever('the app has not listened yet'),
  };
  const routes = buildRoutes(options, state);
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const route = routes.get(`${req.method ?? ''} ${(req.url ?? '').split('?', 1)[0] ?? ''}`);
    if (route !== undefined) return route(req, res);
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not-found"}');
  };
  return {
    ...state,
    async listen() {
      const next = createServer(listener);
      await new Promise<void>((resolve) => next.listen(0, '127.0.0.1', resolve));
      server = next;
      origin = `http://127.0.0.1:${(next.address() as AddressInfo).port}`;
      return origin;
    },
    async stop() {
      const current = server;
      server = undefined;
      if (current === undefined) return;
      current.closeAllConnections();
      await new Promise<void>((resolve, reject) => current.close((e) => (e ? reject(e) : resolve())));
    },
    async requestTicket(user, query) {
      const { port } = new URL(state.origin());
      const search = new URLSearchParams(query).toString();
      const response = await sendHttp(Number(port), 'GET', `/upload/ticket?${search}`, {
        headers: { cookie: `user=${user}` },
      });
      if (response.status !== 200) {
        throw new Error(`ticket: ${response.status} ${response.body.toString('utf8')}`);
      }
      return response.json() as UploadTicket;
    },
  };
}

function assertNever(message: string): never {
  throw new Error(message);
}
