// Builds and runs the node:http server. Timeouts follow threats §B9/§C4: headers must arrive within
// headersTimeoutMs (slowloris, CVE-2018-12122) — checked every second rather than Node's default 30 s —
// there is no whole-request deadline (a 5 GiB upload on a slow link is legitimate) but a socket idle in
// both directions for idleTimeoutMs is destroyed, idle keep-alive sockets close after keepAliveTimeoutMs
// (CVE-2019-5739); header size stays Node's 16 KiB default (431 above it, CVE-2018-12121) and the strict
// HTTP parser is never relaxed (no insecureHTTPParser: smuggling shapes are 400s from Node). Admission of
// uploads is capped per listener (http/upload-concurrency.ts). While it serves, abandoned multipart
// uploads are aborted on a schedule (threats §C7 item 60, --multipart-max-age).
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { pino, type Logger } from 'pino';
import {
  defaultHeadersTimeoutMs,
  defaultIdleTimeoutMs,
  defaultKeepAliveTimeoutMs,
  type ServerConfig,
} from './config/server-config.js';
import { createRequestListener } from './http/handle-request.js';
import type { ServerDeps } from './http/request-context.js';
import { createConnectRefusal } from './http/dev-key-proxy.js';
import {
  CallbackKeyRing,
  readCallbackKeySet,
  type CallbackKeySet,
  type InjectedCallbackKey,
} from './keys/callback-key-ring.js';
import {
  defaultMultipartExpiryIntervalMs,
  defaultMultipartMaxAgeMs,
  startMultipartExpiry,
  type StopMultipartExpiry,
} from './operations/multipart/start-multipart-expiry.js';
import { FsObjectStore } from './store/fs-object-store.js';
import { openS3ObjectStore } from './store/s3-store-config.js';
import type { ObjectStore } from './store/object-store.js';
import { createAccessKeyLookup } from './sts/create-access-key-lookup.js';
import { buildStsRuntime } from './sts/build-sts-runtime.js';

export { defaultHeadersTimeoutMs, defaultIdleTimeoutMs, defaultKeepAliveTimeoutMs };
/** Sweeps closer together than this would only load the store: an age under 4 s is a test setting. */
const minMultipartExpiryIntervalMs = 1_000;
/** How often, while draining, connections that became idle are closed. */
const drainPollMs = 50;

export interface StartServerOverrides {
  readonly store?: ObjectStore;
  readonly log?: Logger;
  readonly now?: () => number;
  readonly newRequestId?: () => string;
  readonly callbackKey?: InjectedCallbackKey;
}

export interface RunningServer {
  readonly server: Server;
  readonly deps: ServerDeps;
  /** The public endpoint, e.g. `http://127.0.0.1:9000` (the actual port when config.port was 0). */
  readonly url: string;
  /** True when this start generated the callback signing key (first start on this data dir). */
  readonly callbackKeyCreated: boolean;
  /**
   * Stops accepting and the multipart expiry schedule, lets in-flight requests finish for up to
   * shutdownGraceMs, closes the store.
   */
  close(): Promise<void>;
}

function createHttpServer(config: ServerConfig): Server {
  const server = createServer({
    headersTimeout: config.headersTimeoutMs ?? defaultHeadersTimeoutMs,
    requestTimeout: 0,
    keepAliveTimeout: config.keepAliveTimeoutMs ?? defaultKeepAliveTimeoutMs,
    connectionsCheckingInterval: 1_000,
    insecureHTTPParser: false,
  });
  // Without a server 'timeout' listener, Node destroys a socket idle for this long.
  server.setTimeout(config.idleTimeoutMs ?? defaultIdleTimeoutMs);
  return server;
}

/** Host names that address the server itself (never `<bucket>.<host>`). */
export function buildServiceHosts(config: Pick<ServerConfig, 'host' | 'publicEndpoint'>): Set<string> {
  const hosts = new Set([config.host.toLowerCase()]);
  try {
    hosts.add(new URL(config.publicEndpoint).hostname.toLowerCase().replace(/^\[|\]$/g, ''));
  } catch {
    // An invalid publicEndpoint is rejected by config validation; nothing to add here.
  }
  return hosts;
}

/** A node:http server answering with `deps` (for embedding; startServer is the usual entry). */
export function createUpcallServer(deps: ServerDeps, isDraining?: () => boolean): Server {
  const server = createHttpServer(deps.config);
  const options = isDraining === undefined ? {} : { isDraining };
  server.on(
    'request',
    createRequestListener(deps, { serviceHosts: buildServiceHosts(deps.config), ...options }),
  );
  if (deps.config.devKeyProxy === true) server.on('connect', createConnectRefusal(deps));
  return server;
}

/** `http://<host>:<port>`, with a wildcard bind address replaced by loopback so the URL is dialable. */
export function buildEndpoint(host: string, port: number): string {
  const dialable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${dialable.includes(':') ? `[${dialable}]` : dialable}:${port}`;
}

async function ensureBuckets(store: ObjectStore, config: ServerConfig): Promise<void> {
  for (const name of config.buckets) {
    if ((await store.getBucket(name)) === undefined)
      await store.createBucket(name, config.bucketAcl ?? 'private');
  }
}

async function openStore(config: ServerConfig, log: Logger, now: () => number): Promise<ObjectStore> {
  if (config.store?.kind === 's3') {
    return openS3ObjectStore(config.store.s3, { now, warn: (message, detail) => log.warn(detail, message) });
  }
  const store = await FsObjectStore.open({
    dataDir: config.dataDir,
    now,
    warn: (message, detail) => log.warn(detail, message),
  });
  log.info({ sweep: store.sweepReport }, 'object store opened');
  return store;
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  server.listen(port, host);
  await once(server, 'listening');
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : port;
}

function buildDeps(
  config: ServerConfig,
  store: ObjectStore,
  keys: CallbackKeySet,
  overrides: StartServerOverrides & { log: Logger },
): ServerDeps {
  const now = overrides.now ?? Date.now;
  const sts = buildStsRuntime(config);
  return {
    config,
    store,
    callbackKey: new CallbackKeyRing(keys, config),
    now,
    lookupSecret: createAccessKeyLookup(config, sts, now),
    ...(sts === undefined ? {} : { sts }),
    log: overrides.log,
    ...(overrides.newRequestId === undefined ? {} : { newRequestId: overrides.newRequestId }),
  };
}

async function drain(server: Server, graceMs: number, log: Logger): Promise<void> {
  const closed = once(server, 'close');
  server.close();
  server.closeIdleConnections();
  const poll = setInterval(() => server.closeIdleConnections(), drainPollMs);
  const deadline = setTimeout(() => {
    log.warn({ graceMs }, 'shutdown grace period over; closing remaining connections');
    server.closeAllConnections();
  }, graceMs);
  try {
    await closed;
  } finally {
    clearInterval(poll);
    clearTimeout(deadline);
  }
}

/** Time between expiry sweeps: min(1 h, maxAge / 4), at least 1 s; an upload outlives its age by ≤ that. */
export function buildMultipartExpiryIntervalMs(maxAgeMs: number): number {
  return Math.max(minMultipartExpiryIntervalMs, Math.min(defaultMultipartExpiryIntervalMs, maxAgeMs / 4));
}

/** Aborts abandoned multipart uploads (threats §C7 item 60): at start, then on a schedule; 0 = never. */
function startExpiry(
  store: ObjectStore,
  config: ServerConfig,
  now: () => number,
  log: Logger,
): StopMultipartExpiry {
  const maxAgeMs = config.multipartMaxAgeMs ?? defaultMultipartMaxAgeMs;
  if (maxAgeMs === 0) return (): Promise<void> => Promise.resolve();
  const intervalMs = buildMultipartExpiryIntervalMs(maxAgeMs);
  return startMultipartExpiry(store, { maxAgeMs, intervalMs, now, log });
}

interface ServeInput {
  readonly config: ServerConfig;
  readonly store: ObjectStore;
  readonly keys: CallbackKeySet;
  readonly overrides: StartServerOverrides & { log: Logger };
  readonly stopExpiry: StopMultipartExpiry;
}

async function listenAndServe(input: ServeInput): Promise<RunningServer> {
  const { config, store, keys, overrides, stopExpiry } = input;
  const log = overrides.log;
  let draining = false;
  const server = createHttpServer(config);
  const port = await listen(server, config.port, config.host);
  const publicEndpoint = config.publicEndpoint || buildEndpoint(config.host, port);
  const finalConfig: ServerConfig = { ...config, port, publicEndpoint };
  const deps = buildDeps(finalConfig, store, keys, overrides);
  if (finalConfig.devKeyProxy === true) server.on('connect', createConnectRefusal(deps));
  // Attached synchronously after 'listening': no request can be parsed before this line runs.
  const options = { serviceHosts: buildServiceHosts(finalConfig), isDraining: () => draining };
  server.on('request', createRequestListener(deps, options));
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    draining = true;
    closing ??= Promise.all([drain(server, finalConfig.shutdownGraceMs, log), stopExpiry()]).then(() =>
      store.close(),
    );
    return closing;
  };
  return { server, deps, url: publicEndpoint, callbackKeyCreated: keys.created, close };
}

export async function startServer(
  config: ServerConfig,
  overrides: StartServerOverrides = {},
): Promise<RunningServer> {
  const log = overrides.log ?? pino({ level: config.logLevel ?? 'info' });
  const now = overrides.now ?? Date.now;
  const store = overrides.store ?? (await openStore(config, log, now));
  let stopExpiry: StopMultipartExpiry = () => Promise.resolve();
  try {
    await ensureBuckets(store, config);
    stopExpiry = startExpiry(store, config, now, log);
    const keys = await readCallbackKeySet(config, overrides.callbackKey);
    return await listenAndServe({ config, store, keys, overrides: { ...overrides, log }, stopExpiry });
  } catch (error) {
    await stopExpiry();
    await store.close();
    throw error;
  }
}
