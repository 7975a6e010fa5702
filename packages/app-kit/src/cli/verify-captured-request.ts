// Verifies a captured callback request and explains the verdict: which key URL it names and whether that
// is trusted (never fetched unless allow-listed), the exact string to sign with escapes (§9.3), and why it
// fails. The troubleshooting tool OSS users lack (anchors §1c/§1d: "上传回调验签失败").
import { buildCallbackStringToSign, verifyCallbackSignature } from '@upcall/protocol';
import { createCallbackKeyTrust, parsePublicKeyPem } from '../verify/callback-key-trust.js';
import {
  isCallbackVerificationError,
  type CallbackVerificationReason,
} from '../verify/callback-verification-error.js';
import { verifyCallbackAuthenticity, type CallbackRequestParts } from '../verify/verify-callback.js';
import type { FetchLike } from '../verify/read-public-key-pem.js';
import { parseCapturedRequest } from './parse-captured-request.js';

export interface VerifyCapturedOptions {
  /** PEM to verify with, whatever key URL the request names. */
  readonly trustKeyPem?: string;
  /** An extra key URL to trust (fetched with the usual limits); the official OSS key stays trusted. */
  readonly trustKeyUrl?: string;
  readonly fetch?: FetchLike;
}

export interface CapturedVerification {
  readonly ok: boolean;
  readonly reason?: CallbackVerificationReason;
  readonly keyUrl?: string;
  readonly stringToSign: string;
  /** Human-readable report, one line each. */
  readonly lines: readonly string[];
}

/** JSON-style escaping: control characters, quotes and backslashes visible; other text as is. */
export function escapeForDisplay(text: string): string {
  return JSON.stringify(text);
}

const reasonHelp: Partial<Record<CallbackVerificationReason, string>> = {
  'missing-signature': 'the request has no Authorization or no x-oss-pub-key-url header',
  'untrusted-key-url':
    'the key URL is not trusted, so it was not fetched; use --trust-key FILE or --trust-key-url URL',
  'key-unavailable': 'the trusted key URL could not be fetched',
  'bad-signature':
    'signature mismatch: wrong key, or the path, query or body changed on the way (a proxy rewriting the path or re-encoding the query breaks verification, §9.3)',
};

function describeKeyUrl(request: CallbackRequestParts): string | undefined {
  const header = request.headers['x-oss-pub-key-url'];
  return header === undefined ? undefined : Buffer.from(header, 'base64').toString('utf8');
}

function checkWithPinnedPem(
  request: CallbackRequestParts,
  pem: string,
): CallbackVerificationReason | undefined {
  const authorization = request.headers.authorization;
  if (authorization === undefined || authorization === '') return 'missing-signature';
  const publicKey = parsePublicKeyPem(pem);
  const verdict = verifyCallbackSignature({
    requestTarget: request.target,
    body: request.body,
    authorization,
    publicKey,
  });
  return verdict.ok ? undefined : 'bad-signature';
}

async function checkWithTrust(
  request: CallbackRequestParts,
  options: VerifyCapturedOptions,
): Promise<CallbackVerificationReason | undefined> {
  const trust = createCallbackKeyTrust({
    ...(options.trustKeyUrl === undefined ? {} : { fetchKeyUrls: [options.trustKeyUrl] }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  try {
    await verifyCallbackAuthenticity(request, { trust });
    return undefined;
  } catch (error) {
    if (isCallbackVerificationError(error)) return error.reason;
    throw error;
  }
}

export async function verifyCapturedRequest(
  capture: string | Uint8Array,
  options: VerifyCapturedOptions = {},
): Promise<CapturedVerification> {
  const parsed = parseCapturedRequest(capture);
  const request: CallbackRequestParts = {
    method: parsed.method,
    target: parsed.target,
    headers: parsed.headers,
    body: parsed.body,
  };
  const stringToSign = buildCallbackStringToSign(parsed.target, parsed.body).toString('utf8');
  const keyUrl = describeKeyUrl(request);
  const reason =
    options.trustKeyPem === undefined
      ? await checkWithTrust(request, options)
      : checkWithPinnedPem(request, options.trustKeyPem);
  const keyLine =
    options.trustKeyPem !== undefined
      ? `key: the PEM given with --trust-key (the request names ${keyUrl === undefined ? 'no key URL' : escapeForDisplay(keyUrl)})`
      : `key URL: ${keyUrl === undefined ? '(none)' : escapeForDisplay(keyUrl)}${reason === 'untrusted-key-url' ? ' — NOT trusted, not fetched' : ''}`;
  const lines = [
    `request: ${parsed.method} ${parsed.target} (${parsed.body.length}-byte body, ${parsed.headers['content-type'] ?? 'no Content-Type'})`,
    ...parsed.notes.map((note) => `note: ${note}`),
    keyLine,
    `string to sign (${Buffer.byteLength(stringToSign)} bytes): ${escapeForDisplay(stringToSign)}`,
    reason === undefined ? 'result: VALID' : `result: INVALID (${reason}): ${reasonHelp[reason] ?? reason}`,
  ];
  return {
    ok: reason === undefined,
    ...(reason === undefined ? {} : { reason }),
    ...(keyUrl === undefined ? {} : { keyUrl }),
    stringToSign,
    lines,
  };
}
