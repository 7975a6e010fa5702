// Verifies a callback request from OSS (or Upcall's server) on raw bytes and the raw request target
// (oss-protocol §9.3, §13 "Verifying callbacks"). Record-store-free: the result says only that the body
// is authentic and what it contains; confirmUpload() decides what that means for the upload record.
// Order matters: cheap refusals first, the body limit before any crypto (threats §C6.56), the key URL
// checked against the configuration before anything could be fetched (threats §B3, §C6.50–51).
import { decodePublicKeyUrlHeader, verifyCallbackSignature } from '@upcall/protocol';
import { createCallbackKeyTrust, type CallbackKeyTrust, type KeySource } from './callback-key-trust.js';
import { CallbackVerificationError } from './callback-verification-error.js';
import { parseCallbackBody, readCallbackBodyType } from './parse-callback-body.js';
import type { VerifiedCallback } from './verified-callback.js';

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

/** Signature and key trust only — what the CLI reports on, and the first half of verifyCallback. */
export async function verifyCallbackAuthenticity(
  request: CallbackRequestParts,
  options: VerifyCallbackOptions = {},
): Promise<AuthenticCallback> {
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
  const key = await trust.resolve(keyUrl);
  const verdict = verifyCallbackSignature({
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

/** Verifies and parses a callback; throws CallbackVerificationError with a stable `reason`. */
export async function verifyCallback(
  request: CallbackRequestParts,
  options: VerifyCallbackOptions = {},
): Promise<VerifiedCallback> {
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
  const { keyUrl } = await verifyCallbackAuthenticity(request, options);
  return parseCallbackBody(request.body, bodyType, keyUrl);
}
