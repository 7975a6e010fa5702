// The per-request pipeline: exchange headers → addressing → CORS (the bucket's rules or the server's) →
// reserved paths (the local STS, sts/serve-sts-request.ts) → route → x-oss-* header check → upload admission (upload-concurrency.ts) → bucket
// existence → auth → operation; any throw → send-error.ts. One log line per request when the response
// closes (architecture §6: request id, operation, bucket, key, status, bytes, duration).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OssError } from '@upcall/protocol';
import type { BucketInfo } from '../store/object-store.js';
import { authorizeRequest } from './authorize-request.js';
import type { BucketCors } from '../store/object-store.js';
import { checkOssHeaders } from './check-oss-headers.js';
import { serveDevKeyProxy } from './dev-key-proxy.js';
import { answerCorsPreflight, applyCorsHeaders, buildServerCors, resolveCors } from './cors.js';
import { parseRequestTarget, readHostName, type RequestTarget } from './parse-request-target.js';
import type { RequestContext, ServerDeps } from './request-context.js';
import { createRequestId } from './request-id.js';
import { routeRequest, type Route, type RouteScope } from './route-request.js';
import { sendError } from './send-error.js';
import {
  defaultBodyRateWindowMs,
  defaultMinBodyBytesPerSec,
  guardBodyRate,
  refuseSlowBody,
  type BodyRateLimits,
} from './guard-body-rate.js';
import { serveReservedPath } from './serve-reserved-path.js';
import { serveStsRequest, stsReservedPath } from '../sts/serve-sts-request.js';
import { UploadSlots } from './upload-concurrency.js';
import { defaultMaxConcurrentUploads } from '../config/server-config.js';

export interface RequestListenerOptions {
  /** Host names that address the server itself, never a bucket (parse-request-target.ts). */
  readonly serviceHosts: ReadonlySet<string>;
  /** Custom domains bound to one bucket each (ali-oss `cname: true`): host name → bucket. */
  readonly bucketHosts?: ReadonlyMap<string, string>;
  /** True once shutdown began: responses then close their connection so the server can finish. */
  readonly isDraining?: () => boolean;
}

/** What the listener derives once from its options and config. */
interface ListenerState {
  readonly options: RequestListenerOptions;
  readonly serverCors: BucketCors;
  /** Shared by every request of this listener (config.maxConcurrentUploads). */
  readonly uploads: UploadSlots;
  /** Minimum request-body throughput (config.minBodyBytesPerSec, guard-body-rate.ts). */
  readonly bodyRate: BodyRateLimits;
}

/** What the request log line and the error document report; filled in as the pipeline learns it. */
interface RequestRecord {
  readonly requestId: string;
  readonly startedMs: number;
  hostId: string;
  operation: string;
  bucket: string | undefined;
  key: string | undefined;
  code: string | undefined;
}

function setExchangeHeaders(res: ServerResponse, requestId: string, nowMs: number): void {
  res.setHeader('Server', 'AliyunOSS');
  res.setHeader('Date', new Date(nowMs).toUTCString());
  res.setHeader('x-oss-request-id', requestId);
}

function logOnClose(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ServerDeps,
  record: RequestRecord,
): void {
  const socket = req.socket;
  const readAtStart = socket.bytesRead;
  const writtenAtStart = socket.bytesWritten;
  res.once('close', () => {
    deps.log.info(
      {
        requestId: record.requestId,
        method: req.method,
        operation: record.operation,
        bucket: record.bucket,
        key: record.key,
        status: res.statusCode,
        code: record.code,
        bytesIn: socket.bytesRead - readAtStart,
        bytesOut: socket.bytesWritten - writtenAtStart,
        durationMs: deps.now() - record.startedMs,
        aborted: !res.writableFinished,
      },
      'request',
    );
  });
}

function scopeOf(target: RequestTarget): RouteScope {
  if (target.key !== undefined) return 'object';
  return target.bucket !== undefined ? 'bucket' : 'service';
}

/** OSS reports a missing bucket before it looks at credentials. */
async function findBucket(
  deps: ServerDeps,
  route: Route,
  name: string | undefined,
): Promise<BucketInfo | undefined> {
  if (!route.needsBucket || name === undefined) return undefined;
  const bucket = await deps.store.getBucket(name);
  if (bucket === undefined) throw new OssError('NoSuchBucket', { extra: [['BucketName', name]] });
  return bucket;
}

function buildContext(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ServerDeps,
  target: RequestTarget,
  record: RequestRecord,
): RequestContext {
  return {
    requestId: record.requestId,
    req,
    res,
    bucket: target.bucket,
    key: target.key,
    query: target.query,
    rawQuery: target.rawQuery,
    hostId: record.hostId,
    clientIp: req.socket.remoteAddress ?? '',
    startedMs: record.startedMs,
    log: deps.log,
    addressing: target.style,
  };
}

/** Addressing errors are reported after CORS headers are set, so a browser can read them. */
function tryParseTarget(
  req: IncomingMessage,
  options: RequestListenerOptions,
): { target: RequestTarget; error?: undefined } | { target?: undefined; error: unknown } {
  try {
    const target = parseRequestTarget(req.url ?? '/', req.headers.host, {
      serviceHosts: options.serviceHosts,
      ...(options.bucketHosts === undefined ? {} : { bucketHosts: options.bucketHosts }),
    });
    return { target };
  } catch (error) {
    return { error };
  }
}

async function runPipeline(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ServerDeps,
  state: ListenerState,
  record: RequestRecord,
): Promise<void> {
  // Dev-key mode only: absolute-form (proxy) requests are answered or refused here (dev-key-proxy.ts).
  const proxyOperation = serveDevKeyProxy(req, res, deps);
  if (proxyOperation !== undefined) return void (record.operation = proxyOperation);
  const method = req.method ?? '';
  const parsed = tryParseTarget(req, state.options);
  const cors = await resolveCors(deps.store, req, parsed.target?.bucket, state.serverCors);
  if (method === 'OPTIONS') {
    record.operation = 'CorsPreflight';
    answerCorsPreflight(req, res, cors);
    return;
  }
  applyCorsHeaders(req, res, cors);
  if (parsed.target === undefined) throw parsed.error;
  const { target } = parsed;
  if (target.hostName !== '') record.hostId = target.hostName;
  record.bucket = target.bucket;
  record.key = target.key;
  if (target.reservedPath === stsReservedPath || target.reservedPath === `${stsReservedPath}/`) {
    record.operation = 'AssumeRole';
    return serveStsRequest(buildContext(req, res, deps, target, record), deps);
  }
  if (target.reservedPath !== undefined) {
    record.operation = serveReservedPath(method, target.reservedPath, res, deps);
    return;
  }
  const route = routeRequest(method, scopeOf(target), target.query, req.headers);
  record.operation = route.name;
  checkOssHeaders(req.headers, route.ossHeaders);
  state.uploads.admit(route.name, res);
  const ctx = buildContext(req, res, deps, target, record);
  if (route.auth === 'form') return route.operation(ctx, deps);
  const bucket = await findBucket(deps, route, target.bucket);
  const principal = await authorizeRequest(ctx, deps, route, bucket);
  await route.operation({ ...ctx, principal }, deps);
}

async function handleRequest(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ServerDeps,
  state: ListenerState,
  fallbackHostId: string,
): Promise<void> {
  const record: RequestRecord = {
    requestId: (deps.newRequestId ?? createRequestId)(),
    startedMs: deps.now(),
    hostId: readHostName(req.headers.host) || fallbackHostId,
    operation: 'Unknown',
    bucket: undefined,
    key: undefined,
    code: undefined,
  };
  setExchangeHeaders(res, record.requestId, record.startedMs);
  if (state.options.isDraining?.() === true) res.setHeader('Connection', 'close');
  logOnClose(req, res, deps, record);
  guardBodyRate(req, res, state.bodyRate, () => {
    const info = { requestId: record.requestId, hostId: record.hostId, log: deps.log };
    record.code = refuseSlowBody(req, res, info).code;
  });
  req.on('error', (error) =>
    deps.log.debug({ requestId: record.requestId, err: error }, 'request stream error'),
  );
  try {
    await runPipeline(req, res, deps, state, record);
  } catch (error) {
    const info = { requestId: record.requestId, hostId: record.hostId, log: deps.log };
    record.code = sendError(req, res, error, info).code;
  }
}

/** The host name of the public endpoint, for error documents of requests without a usable Host. */
function readEndpointHost(publicEndpoint: string): string {
  try {
    return readHostName(new URL(publicEndpoint).host);
  } catch {
    return '';
  }
}

/** The `request` listener of the node:http server. It never throws and never rejects. */
export function createRequestListener(
  deps: ServerDeps,
  options: RequestListenerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const fallbackHostId = readEndpointHost(deps.config.publicEndpoint) || deps.config.host;
  const state: ListenerState = {
    options,
    serverCors: buildServerCors(deps.config.corsOrigins),
    uploads: new UploadSlots(deps.config.maxConcurrentUploads ?? defaultMaxConcurrentUploads),
    bodyRate: {
      minBodyBytesPerSec: deps.config.minBodyBytesPerSec ?? defaultMinBodyBytesPerSec,
      windowMs: deps.config.bodyRateWindowMs ?? defaultBodyRateWindowMs,
    },
  };
  return (req, res) => {
    handleRequest(req, res, deps, state, fallbackHostId).catch((error: unknown) => {
      deps.log.error({ err: error }, 'request pipeline failed');
      res.destroy();
    });
  };
}
