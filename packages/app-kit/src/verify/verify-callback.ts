// Verifies a callback request from OSS (or Upcall's server) on raw bytes and the raw request target
// (oss-protocol §9.3, §13 "Verifying callbacks"). Record-store-free: the result says only that the body
// is authentic and what it contains; confirmUpload() decides what that means for the upload record.
// Order matters: cheap refusals first, the body limit before any crypto (threats §C6.56), the key URL
// checked against the configuration before anything could be fetched (threats §B3, §C6.50–51).
import { decodePublicKeyUrlHeader, type CallbackBodyType } from '@upcall/protocol';
import {
  createCallbackKeyTrust,
  settleKey,
  type CallbackKeyTrust,
  type KeySource,
  type TrustedKey,
} from './callback-key-trust.js';
import { CallbackVerificationError } from './callback-verification-error.js';
import { parseCallbackBody, readCallbackBodyType } from './parse-callback-body.js';
import type { VerifiedCallback } from './verified-callback.js';
import { verifyCallbackSignatureFast } from './verify-callback-signature-fast.js';

export interface CallbackRequestParts {
  readonly method: string;
  /** The raw request-target: path + raw query exactly as received (Node's `req.url`), never a re-built URL. */
  readonly target: string;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Uint8Array;
}

export interface VerifyCallbackOptions {
  /** Default: only OSS's official key (pinned). */
  readonly trust?: CallbackKeyTrust;
  /** Default 64 KiB; OSS bodies are a rendered template of at most a few KB. */
  readonly maxBodyBytes?: number;
}

export interface AuthenticCallback {
  readonly keyUrl: string;
  readonly keySource: KeySource;
  /** Which reading of the path verified (§9.3: `+` in paths is ambiguous between demos). */
  readonly variant: 'percent' | 'plus-as-space';
}

export const defaultMaxCallbackBodyBytes = 64 * 1024;

function header(request: CallbackRequestParts, name: string): string | undefined {
  const value = request.headers[name];
  return value === undefined || value === '' ? undefined : value;
}

/** Canonical WHATWG form as well as an exact match later: `new URL(x).href === x` (threats §B3). */
function isCanonicalUrl(text: string): boolean {
  try {
    return new URL(text).href === text;
  } catch {
    return false;
  }
}

/** The last header value that decoded to a canonical URL: every callback from one server repeats it. */
let lastKeyUrl: { readonly header: string; readonly url: string } | undefined;

/** x-oss-pub-key-url decoded (strict base64, §9.4) when it names a canonical URL; undefined otherwise. */
function readKeyUrl(keyUrlHeader: string): string | undefined {
  if (lastKeyUrl?.header === keyUrlHeader) return lastKeyUrl.url;
  const url = decodePublicKeyUrlHeader(keyUrlHeader);
  if (url === undefined || !isCanonicalUrl(url)) return undefined;
  lastKeyUrl = { header: keyUrlHeader, url };
  return url;
}

/** Header checks and the trusted key; a promise only when the key must still be fetched. */
function readTrustedKey(
  request: CallbackRequestParts,
  options: VerifyCallbackOptions,
): { authorization: string; keyUrl: string; key: TrustedKey | Promise<TrustedKey> } {
  const authorization = header(request, 'authorization');
  const keyUrlHeader = header(request, 'x-oss-pub-key-url');
  if (authorization === undefined || keyUrlHeader === undefined) {
    throw new CallbackVerificationError(
      'missing-signature',
      'The callback has no Authorization or x-oss-pub-key-url header.',
    );
  }
  const keyUrl = readKeyUrl(keyUrlHeader);
  const trust = options.trust ?? createCallbackKeyTrust(); // official key only; parsing one PEM is cheap
  if (keyUrl === undefined || trust.lookup(keyUrl) === undefined) {
    const shown =
      decodePublicKeyUrlHeader(keyUrlHeader) ?? Buffer.from(keyUrlHeader, 'base64').toString('latin1');
    throw new CallbackVerificationError(
      'untrusted-key-url',
      `The callback key URL is not trusted: ${JSON.stringify(shown)}`,
      {
        details: { keyUrl: shown },
      },
    );
  }
  return { authorization, keyUrl, key: settleKey(trust, keyUrl) };
}

function checkSignature(
  request: CallbackRequestParts,
  authorization: string,
  keyUrl: string,
  key: TrustedKey,
): AuthenticCallback {
  const verdict = verifyCallbackSignatureFast({
    requestTarget: request.target,
    body: request.body,
    authorization,
    publicKey: key.key,
  });
  if (!verdict.ok) {
    throw new CallbackVerificationError('bad-signature', 'The callback signature does not match.', {
      details: { keyUrl, stringToSign: verdict.stringToSign.toString('utf8') },
    });
  }
  return { keyUrl, keySource: key.source, variant: verdict.variant };
}

/**
 * Signature and key trust, settled synchronously when the key is at hand (pinned or cached): no promise
 * hop per callback (scenario 4). Throws or rejects with CallbackVerificationError.
 */
function settleAuthenticity(
  request: CallbackRequestParts,
  options: VerifyCallbackOptions,
): AuthenticCallback | Promise<AuthenticCallback> {
  const { authorization, keyUrl, key } = readTrustedKey(request, options);
  return key instanceof Promise
    ? key.then((resolved) => checkSignature(request, authorization, keyUrl, resolved))
    : checkSignature(request, authorization, keyUrl, key);
}

/** A promise of `run()`'s result: a throw becomes a rejection, as it would in an async function. */
function settled<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    const result = run();
    return result instanceof Promise ? result : Promise.resolve(result);
  } catch (error) {
    // Whatever was thrown, unchanged — exactly what an async function would reject with.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    return Promise.reject(error);
  }
}

/** Signature and key trust only — what the CLI reports on, and the first half of verifyCallback. */
export function verifyCallbackAuthenticity(
  request: CallbackRequestParts,
  options: VerifyCallbackOptions = {},
): Promise<AuthenticCallback> {
  return settled(() => settleAuthenticity(request, options));
}

/** Method, size and Content-Type: refused before any signature check. */
function readBodyType(request: CallbackRequestParts, options: VerifyCallbackOptions): CallbackBodyType {
  if (request.method.toUpperCase() !== 'POST') {
    throw new CallbackVerificationError('bad-request', 'Callbacks are POST requests (§9.1).', {
      status: 405,
    });
  }
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxCallbackBodyBytes;
  if (request.body.byteLength > maxBodyBytes) {
    throw new CallbackVerificationError('bad-request', `The callback body exceeds ${maxBodyBytes} bytes.`, {
      status: 413,
    });
  }
  const bodyType = readCallbackBodyType(header(request, 'content-type'));
  if (bodyType === undefined) {
    throw new CallbackVerificationError(
      'bad-request',
      'The callback Content-Type is neither form-urlencoded nor JSON (§8.1).',
      {
        status: 415,
      },
    );
  }
  return bodyType;
}

/** Verifies and parses a callback; rejects with CallbackVerificationError with a stable `reason`. */
export function verifyCallback(
  request: CallbackRequestParts,
  options: VerifyCallbackOptions = {},
): Promise<VerifiedCallback> {
  return settled(() => {
    const bodyType = readBodyType(request, options);
    const authentic = settleAuthenticity(request, options);
    return authentic instanceof Promise
      ? authentic.then(({ keyUrl }) => parseCallbackBody(request.body, bodyType, keyUrl))
      : parseCallbackBody(request.body, bodyType, authentic.keyUrl);
  });
}
