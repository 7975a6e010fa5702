// An application with app-kit's presigned-multipart handlers and callback handler in front of Upcall's
// real storage server (support/app-kit-storage.ts), served from node:http on 127.0.0.1. The user is the
// `user` cookie; `/mp/*` are the multipart endpoints, `/callback` confirms records.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createCallbackHandler,
  createCallbackKeyTrust,
  createMultipartHandlers,
  SqliteUploadRecordStore,
  toNodeHandler,
  type MultipartHandlerOptions,
  type NodeHandler,
} from '@upcall/app-kit';
import { fetchMultipartEndpoints, type MultipartEndpoints } from '@upcall/client';
import type { AppKitStorage } from './app-kit-storage.js';

export interface MultipartApp {
  readonly url: string;
  readonly store: SqliteUploadRecordStore;
  readonly errors: unknown[];
  /** The multipart endpoints as a page of `user` would call them. */
  endpointsFor(user: string): MultipartEndpoints;
  /** POST JSON to `/mp/<path>` as `user`; status and parsed body. */
  post(user: string, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }>;
  stop(): Promise<void>;
}

export interface MultipartAppOptions {
  /** Default: this app's own `/callback`. */
  readonly callbackUrl?: string;
  readonly maxSizeBytes?: number;
  readonly partUrlExpirySeconds?: number;
  readonly now?: () => number;
}

function readUser(request: Request): string | undefined {
  return /(?:^|;\s*)user=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1];
}

function buildRoutes(
  storage: AppKitStorage,
  store: SqliteUploadRecordStore,
  callbackUrl: string,
  options: MultipartAppOptions & { errors: unknown[] },
): Map<string, NodeHandler> {
  const { connection } = storage;
  const handlerOptions: MultipartHandlerOptions = {
    storage: { ...connection, pathStyle: true },
    store,
    callback: { urls: callbackUrl },
    maxSizeBytes: options.maxSizeBytes ?? 64 * 1024 * 1024,
    getUserId: readUser,
    appData: (body) => ({ fileName: body.fileName ?? null }),
    onError: (error) => options.errors.push(error),
    ...(options.partUrlExpirySeconds === undefined
      ? {}
      : { partUrlExpirySeconds: options.partUrlExpirySeconds }),
    ...(options.now === undefined ? {} : { now: options.now }),
  };
  const mp = createMultipartHandlers(handlerOptions);
  const trust = createCallbackKeyTrust({
    trustOssKey: false,
    pinnedKeys: { [connection.callbackKeyUrl]: connection.callbackKeyPem ?? '' },
  });
  const callback = createCallbackHandler({ store, verifyOptions: { trust } });
  const big = { maxBodyBytes: 1024 * 1024 };
  return new Map<string, NodeHandler>([
    ['/mp/start', toNodeHandler(mp.start)],
    ['/mp/sign-parts', toNodeHandler(mp.signParts)],
    ['/mp/list-parts', toNodeHandler(mp.listParts)],
    ['/mp/complete', toNodeHandler(mp.complete, big)],
    ['/mp/abort', toNodeHandler(mp.abort)],
    ['/callback', toNodeHandler(callback)],
  ]);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function startMultipartApp(
  storage: AppKitStorage,
  options: MultipartAppOptions = {},
): Promise<MultipartApp> {
  const store = new SqliteUploadRecordStore({ path: ':memory:' });
  const errors: unknown[] = [];
  let routes = new Map<string, NodeHandler>();
  const server = createServer((req, res) => {
    const handler = routes.get((req.url ?? '/').split('?')[0] ?? '/');
    if (handler === undefined) res.writeHead(404).end();
    else handler(req, res);
  });
  const url = await listen(server);
  routes = buildRoutes(storage, store, options.callbackUrl ?? `${url}/callback`, { ...options, errors });
  const endpointsFor = (user: string): MultipartEndpoints =>
    fetchMultipartEndpoints(`${url}/mp`, { init: { headers: { cookie: `user=${user}` } } });
  return {
    url,
    store,
    errors,
    endpointsFor,
    post: async (user, path, body) => {
      const response = await fetch(`${url}/mp/${path}`, {
        method: 'POST',
        headers: { cookie: `user=${user}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

/** Deterministic bytes: a counter pattern that differs in every part (so a swapped part is caught). */
export function buildPatternBytes(size: number, seed = 7): Buffer {
  const bytes = Buffer.alloc(Math.ceil(size / 4) * 4);
  let state = seed >>> 0;
  for (let i = 0; i < bytes.length; i += 4) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    bytes.writeUInt32LE(state, i);
  }
  return bytes.subarray(0, size);
}
