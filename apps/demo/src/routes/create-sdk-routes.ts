// The two app routes behind the /sdk page (ali-oss in the browser, docs/large-uploads.md):
//   GET  /api/sts-credentials — temporary STS credentials limited to the demo user's folder, from Upcall's
//        local STS (`<storage>/_upcall/sts`, ADR 0009) or, with other options, Alibaba Cloud STS;
//   POST /api/sdk-uploads     — a pending upload record and the callback parameters for one upload, so the
//        SDK's CompleteMultipartUpload carries the same signed callback as a ticket upload (§8.1, §8.3) and
//        the record is confirmed by /api/oss-callback like every other upload.
// Both answer the demo's own page only (same origin, demo user cookie) and are never cached.
import { randomBytes } from 'node:crypto';
import {
  buildUserKeyPrefix,
  extractFileExtension,
  issueStsCredentials,
  StsRequestError,
  type UploadRecordStore,
  type WebHandler,
} from '@upcall/app-kit';
import { parseCallbackParam } from '@upcall/protocol';
import { readDemoUserId } from '../demo-user.js';
import type { StorageConnection } from '../storage-connection.js';
import { checkSameOrigin } from './check-same-origin.js';
import { readFileName } from './create-ticket-route.js';
import { replyError, replyJson } from './reply-json.js';

export const stsCredentialsPath = '/api/sts-credentials';
export const sdkUploadsPath = '/api/sdk-uploads';

/** Any well-formed ARN does for the local STS; against Alibaba Cloud, the real role's ARN. */
export const demoRoleArn = 'acs:ram::1000000000000000:role/upcall-demo-browser-upload';

/** How long an SDK upload's record stays pending before reconciliation may call it expired (a day). */
export const sdkUploadLifetimeMs = 24 * 60 * 60 * 1000;

export interface SdkRoutesOptions {
  readonly store: UploadRecordStore;
  readonly storage: StorageConnection;
  readonly callbackUrl: string;
  /** Default `<storage endpoint>/_upcall/sts` (Upcall); `https://sts.aliyuncs.com` for Alibaba Cloud. */
  readonly stsEndpoint?: string;
  readonly roleArn?: string;
  /** 900 (the default) … the role's maximum. */
  readonly durationSeconds?: number;
  readonly now?: () => number;
  /** Random bytes for record ids and object names (tests inject them). */
  readonly random?: (size: number) => Uint8Array;
  readonly fetch?: typeof fetch;
  readonly onError?: (error: unknown) => void;
}

/** The callback parameters in the shape of ali-oss's `options.callback` (lib/common/callback.js). */
export interface SdkCallbackOptions {
  readonly url: string;
  readonly body: string;
  readonly contentType: 'application/x-www-form-urlencoded';
  /** ali-oss sends each as `x:<name>` in `x-oss-callback-var`. */
  readonly customValue: { readonly upload_id: string };
}

/**
 * The form-encoded body template: every value a `${…}` placeholder OSS substitutes (§8.4, §8.5), the
 * record id travelling as the custom variable `x:upload_id` — what app-kit's callback parser reads.
 */
export const sdkCallbackBodyTemplate = [
  'bucket=${bucket}',
  'object=${object}',
  'etag=${etag}',
  'size=${size}',
  'mimeType=${mimeType}',
  'contentMd5=${contentMd5}',
  'operation=${operation}',
  'uploadId=${x:upload_id}',
].join('&');

export function buildSdkCallbackOptions(callbackUrl: string, recordId: string): SdkCallbackOptions {
  const callback = {
    url: callbackUrl,
    body: sdkCallbackBodyTemplate,
    contentType: 'application/x-www-form-urlencoded',
    customValue: { upload_id: recordId },
  } as const;
  // The JSON ali-oss will build from it, checked with the server's own parser: a bad URL or template
  // fails here, at issue time, instead of as an upload refused at the very end (§8.6).
  const json = {
    callbackUrl: encodeURI(callback.url),
    callbackBody: callback.body,
    callbackBodyType: callback.contentType,
  };
  parseCallbackParam(Buffer.from(JSON.stringify(json), 'utf8').toString('base64'));
  return callback;
}

/** ali-oss wants the region as `oss-<id>`; path style when the endpoint does not name the bucket host. */
function describeStorageForSdk(storage: StorageConnection) {
  return {
    endpoint: storage.endpoint.replace(/\/+$/, ''),
    region: storage.region.startsWith('oss-') ? storage.region : `oss-${storage.region}`,
    pathStyle: !new URL(storage.endpoint).hostname.startsWith(`${storage.bucket}.`),
  };
}

function refuseRequest(request: Request, method: string): Response | string {
  if (request.method !== method) return replyError(405, 'method-not-allowed');
  if (!checkSameOrigin(request)) return replyError(403, 'cross-origin');
  const userId = readDemoUserId(request.headers.get('cookie'));
  return userId ?? replyError(401, 'unauthenticated');
}

function createCredentialsRoute(options: SdkRoutesOptions): WebHandler {
  const { storage } = options;
  return async (request) => {
    const userId = refuseRequest(request, 'GET');
    if (typeof userId !== 'string') return userId;
    try {
      const credentials = await issueStsCredentials(userId, {
        endpoint: options.stsEndpoint ?? `${storage.endpoint.replace(/\/+$/, '')}/_upcall/sts`,
        accessKeyId: storage.credentials.accessKeyId,
        accessKeySecret: storage.credentials.accessKeySecret,
        roleArn: options.roleArn ?? demoRoleArn,
        bucket: storage.bucket,
        ...(options.durationSeconds === undefined ? {} : { durationSeconds: options.durationSeconds }),
        ...(options.now === undefined ? {} : { now: options.now }),
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      });
      return replyJson(200, { ...credentials, ...describeStorageForSdk(storage) });
    } catch (error) {
      options.onError?.(error);
      if (error instanceof StsRequestError) return replyError(502, 'sts-refused', error.code);
      return replyError(502, 'sts-unreachable');
    }
  };
}

function createSdkUploadRoute(options: SdkRoutesOptions): WebHandler {
  const random = options.random ?? randomBytes;
  const now = options.now ?? Date.now;
  return async (request) => {
    const userId = refuseRequest(request, 'POST');
    if (typeof userId !== 'string') return userId;
    const fileName = await readFileName(request);
    const extension = extractFileExtension(fileName);
    const id = Buffer.from(random(16)).toString('base64url');
    const name = Buffer.from(random(16)).toString('hex');
    // The exact key, inside the folder the STS policy grants (buildUserKeyPrefix, as issueStsCredentials).
    const key = `${buildUserKeyPrefix(userId)}${name}${extension === undefined ? '' : `.${extension}`}`;
    const createdAtMs = now();
    try {
      await options.store.insertPending({
        id,
        userId,
        bucket: options.storage.bucket,
        key,
        keyIsPrefix: false,
        createdAtMs,
        expiresAtMs: createdAtMs + sdkUploadLifetimeMs,
        appData: JSON.stringify({ fileName: fileName ?? null, via: 'oss-sdk' }),
      });
    } catch (error) {
      options.onError?.(error);
      return replyError(503, 'store-unavailable');
    }
    return replyJson(200, { uploadId: id, key, callback: buildSdkCallbackOptions(options.callbackUrl, id) });
  };
}

export function createSdkRoutes(options: SdkRoutesOptions): Array<[string, WebHandler]> {
  return [
    [stsCredentialsPath, createCredentialsRoute(options)],
    [sdkUploadsPath, createSdkUploadRoute(options)],
  ];
}
