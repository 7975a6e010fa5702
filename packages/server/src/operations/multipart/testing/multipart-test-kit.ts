// Test helpers for the multipart suites: the official ali-oss client typed for its multipart methods,
// V1-signed raw requests (for what ali-oss will not send: unsorted part lists, DOCTYPEs, query callbacks),
// deterministic bodies and CompleteMultipartUpload XML.
import {
  createAliOssClient,
  type AliOssClient,
  type AliOssResponse,
} from '../../../http/testing/create-ali-oss-client.js';
import type { Exchange } from '../../../http/testing/http-exchange.js';
import {
  testAccessKeyId,
  testAccessKeySecret,
  type TestServer,
} from '../../../http/testing/start-test-server.js';
import { signedExchange } from '../../testing/signed-exchange.js';

export const testBucket = 'uploads';
export const kib = 1024;
export const mib = 1024 * 1024;

export interface AliOssCallbackOption {
  readonly url: string;
  readonly body: string;
  readonly contentType?: string;
  readonly customValue?: Record<string, string>;
}

export interface AliOssPart {
  readonly number: number;
  readonly etag: string;
}

/** The subset of ali-oss 6.x's multipart API the suites use (lib/common/multipart.js, managed-upload.js). */
export interface AliOssMultipartClient extends AliOssClient {
  multipartUpload(
    name: string,
    file: Buffer,
    options?: {
      parallel?: number;
      partSize?: number;
      progress?: (fraction: number) => void;
      callback?: AliOssCallbackOption;
      mime?: string;
      meta?: Record<string, string>;
    },
  ): Promise<{ res: AliOssResponse; etag: string; data?: unknown }>;
  initMultipartUpload(name: string, options?: object): Promise<{ uploadId: string; res: AliOssResponse }>;
  uploadPart(
    name: string,
    uploadId: string,
    partNumber: number,
    file: Buffer,
    start: number,
    end: number,
  ): Promise<{ etag: string; res: AliOssResponse }>;
  completeMultipartUpload(
    name: string,
    uploadId: string,
    parts: readonly AliOssPart[],
    options?: { callback?: AliOssCallbackOption; headers?: Record<string, string> },
  ): Promise<{ etag: string; res: AliOssResponse; data?: unknown }>;
  abortMultipartUpload(name: string, uploadId: string): Promise<{ res: AliOssResponse }>;
  listParts(
    name: string,
    uploadId: string,
    query?: Record<string, string | number>,
  ): Promise<{
    parts: Array<{ PartNumber: string; ETag: string; Size: string; LastModified: string }>;
    nextPartNumberMarker: string;
    isTruncated: string | boolean;
  }>;
  listUploads(query?: Record<string, string | number>): Promise<{
    uploads: Array<{ name: string; uploadId: string; initiated: string }>;
    isTruncated: boolean;
    nextKeyMarker: string;
    nextUploadIdMarker: string;
  }>;
}

export type SignatureVersion = 'v1' | 'v4';

export function createMultipartClient(server: TestServer, version: SignatureVersion): AliOssMultipartClient {
  return createAliOssClient({
    endpoint: `http://127.0.0.1:${server.port}`,
    bucket: testBucket,
    accessKeyId: testAccessKeyId,
    accessKeySecret: testAccessKeySecret,
    authorizationV4: version === 'v4',
  }) as AliOssMultipartClient;
}

/** The error ali-oss throws for a non-success status (lib/client.js requestError). */
export interface AliOssError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/** Resolves with the error a call rejected with; fails the test when it did not reject. */
export async function catchAliOssError(call: Promise<unknown>): Promise<AliOssError> {
  try {
    await call;
  } catch (error) {
    return error as AliOssError;
  }
  throw new Error('expected the call to fail');
}

/** Bytes that differ at every offset and between seeds, so a misplaced part changes the content. */
export function buildTestBytes(size: number, seed = 1): Buffer {
  const bytes = Buffer.alloc(size);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < size; i += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

export function buildCompleteXml(parts: ReadonlyArray<{ partNumber: number; etag: string }>): string {
  const items = parts.map(
    (p) => `<Part><PartNumber>${p.partNumber}</PartNumber><ETag>${p.etag}</ETag></Part>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUpload>${items.join('')}</CompleteMultipartUpload>`;
}

export { base64Md5 as md5Base64 } from '../../testing/signed-exchange.js';

export interface SignedRequest {
  readonly method: string;
  /** Object key (raw); omitted for bucket requests. */
  readonly key?: string;
  /** Decoded query parameters; an empty value is sent as a bare name (`?uploads`). */
  readonly query?: ReadonlyArray<readonly [string, string]>;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

/** One path-style request to the test bucket, signed with V1 header auth (§6.1) at the current time. */
export function sendSigned(server: TestServer, request: SignedRequest): Promise<Exchange> {
  return signedExchange(server.port, { ...request, bucket: testBucket });
}

/**
 * The same request with the test AccessKeyId and a garbage signature: every entry point must refuse it
 * (threats §B1, CVE-2025-31489).
 */
export function sendForged(server: TestServer, request: SignedRequest): Promise<Exchange> {
  const headers = {
    ...request.headers,
    'x-oss-date': new Date().toUTCString(),
    authorization: `OSS ${testAccessKeyId}:AAAAAAAAAAAAAAAAAAAAAAAAAAA=`,
  };
  return signedExchange(server.port, { ...request, headers, bucket: testBucket, anonymous: true });
}

export interface UploadedParts {
  readonly uploadId: string;
  /** The content of the parts concatenated in part-number order. */
  readonly bytes: Buffer;
  readonly parts: Array<{ partNumber: number; etag: string }>;
}

/** Initiates an upload of `key` and uploads parts 1…n of the given sizes with ali-oss. */
export async function uploadTestParts(
  client: AliOssMultipartClient,
  key: string,
  sizes: readonly number[],
  seed = 5,
): Promise<UploadedParts> {
  const bytes = buildTestBytes(
    sizes.reduce((sum, size) => sum + size, 0),
    seed,
  );
  const { uploadId } = await client.initMultipartUpload(key);
  const parts: Array<{ partNumber: number; etag: string }> = [];
  let start = 0;
  for (const [index, size] of sizes.entries()) {
    const { etag } = await client.uploadPart(key, uploadId, index + 1, bytes, start, start + size);
    parts.push({ partNumber: index + 1, etag });
    start += size;
  }
  return { uploadId, bytes, parts };
}
