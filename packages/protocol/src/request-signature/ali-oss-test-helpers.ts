// Shared fixtures for the ali-oss interop tests: the official client (node_modules/ali-oss 6.x) signs with
// its own code paths (createRequest, the path of every SDK call; signatureUrlV4; signUtils), and these
// helpers turn its output into what the server sees. No network: the client object is only used to sign.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { parseIsoBasicDateTime, parseRfc1123Date } from './request-time.js';
import { verifyRequestSignature } from './verify-request-signature.js';
import type { SignedRequest, VerifyRequestDeps } from './verify-types.js';

export interface AliOssClient {
  signatureUrl(name: string, options?: Record<string, unknown>): string;
  signatureUrlV4(
    method: string,
    expires: number,
    request?: { headers?: Record<string, string>; queries?: Record<string, unknown> },
    objectName?: string,
    additionalHeaders?: string[],
  ): Promise<string>;
}
type AliOssConstructor = new (options: Record<string, unknown>) => AliOssClient;
type CreateRequest = (
  this: AliOssClient,
  params: Record<string, unknown>,
) => { url: string; params: { method: string; headers: Record<string, unknown> } };

/** ali-oss `lib/common/signUtils.js`, the functions the V4 tests call directly. */
export interface AliOssSignUtils {
  getCanonicalRequest(
    method: string,
    request: { headers: Record<string, string>; queries?: Record<string, unknown> },
    bucketName?: string,
    objectName?: string,
    additionalHeaders?: string[],
  ): string;
}

const require = createRequire(import.meta.url);
const OSS = require('ali-oss') as AliOssConstructor;
const { createRequest } = require('ali-oss/lib/common/utils/createRequest') as {
  createRequest: CreateRequest;
};
export const aliOssSignUtils = require('ali-oss/lib/common/signUtils') as AliOssSignUtils;

export const aliOssBucket = 'upcall-bucket';
const secrets: Record<string, { secret: string; securityToken?: string }> = {
  LTAIinterop: { secret: 'interop-secret' },
  'STS.interop': { secret: 'sts-secret', securityToken: 'sts-token-value' },
};

export function aliOssClient(options: Record<string, unknown> = {}): AliOssClient {
  return new OSS({
    region: 'oss-cn-hangzhou',
    accessKeyId: 'LTAIinterop',
    accessKeySecret: 'interop-secret',
    bucket: aliOssBucket,
    ...options,
  });
}

export const aliOssDeps = (nowMs: number): VerifyRequestDeps => ({
  lookupSecret: (ak) => secrets[ak],
  nowMs,
});

/** What the server sees: the URL's path and decoded query, lower-case header names, string values. */
export function asServerRequest(
  method: string,
  url: string,
  headers: Record<string, unknown> = {},
): SignedRequest {
  const parsed = new URL(url);
  const serverHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) serverHeaders[name.toLowerCase()] = String(value);
  const path = parsed.pathname.slice(1);
  return {
    method,
    bucket: aliOssBucket,
    key: path === '' ? undefined : decodeURIComponent(path),
    query: [...parsed.searchParams.entries()],
    headers: serverHeaders,
  };
}

export interface AliOssSigned {
  request: SignedRequest;
  nowMs: number;
  /** The URL exactly as ali-oss would send it. */
  url: string;
}

/** Signs `params` the way every ali-oss API method does (createRequest), header auth V1 or V4. */
export function signWithAliOss(c: AliOssClient, params: Record<string, unknown>): AliOssSigned {
  const built = createRequest.call(c, { bucket: aliOssBucket, ...params });
  const request = asServerRequest(built.params.method, built.url, built.params.headers);
  const date = String(request.headers['x-oss-date']);
  const nowMs = parseIsoBasicDateTime(date) ?? parseRfc1123Date(date) ?? NaN;
  return { request, nowMs, url: built.url };
}

/** A signatureUrlV4 URL as the server sees it, with "now" set to its signing time. */
export async function presignWithAliOssV4(
  method: string,
  request: { headers?: Record<string, string>; queries?: Record<string, unknown> },
  objectName?: string,
  additionalHeaders?: string[],
): Promise<AliOssSigned> {
  const url = await aliOssClient().signatureUrlV4(method, 300, request, objectName, additionalHeaders);
  const server = asServerRequest(method, url, request.headers);
  const date = server.query.find(([name]) => name === 'x-oss-date')?.[1] ?? '';
  return { request: server, nowMs: parseIsoBasicDateTime(date) ?? NaN, url };
}

export function assertAccepted(request: SignedRequest, nowMs: number, scheme: string): void {
  const verdict = verifyRequestSignature(request, aliOssDeps(nowMs));
  assert.ok(verdict.ok, verdict.ok ? '' : `${verdict.error.code} ${verdict.error.message}`);
  assert.equal(verdict.scheme, scheme);
}

export function assertSignatureMismatch(request: SignedRequest, nowMs: number): void {
  const verdict = verifyRequestSignature(request, aliOssDeps(nowMs));
  assert.equal(verdict.ok ? 'accepted' : verdict.error.code, 'SignatureDoesNotMatch');
}

export function assertAcceptedThenTampered(request: SignedRequest, nowMs: number, scheme: string): void {
  assertAccepted(request, nowMs, scheme);
  assertSignatureMismatch({ ...request, key: `${request.key ?? ''}x` }, nowMs);
}
