// Is the application server's reply acceptable to OSS? (oss-protocol §9.6). Pure: the caller has already
// read at most maxCallbackResponseBytes + 1 bytes. A failure becomes 203 CallbackFailed with `message`.
import { decodeUtf8Strict } from './strict-base64.js';

/** §9.6 CONFLICT 1 MB vs 3 MB: we take the stricter 1 MB (read as MiB). */
export const maxCallbackResponseBytes = 1024 * 1024;

export interface CallbackResponseInput {
  readonly status: number;
  /** Response headers with lower-case names (node:http IncomingHttpHeaders shape). */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The body as read, capped at maxCallbackResponseBytes + 1. */
  readonly bodyBytes: Uint8Array;
  /** Declared Content-Length; undefined when absent (e.g. chunked). */
  readonly contentLength: number | undefined;
}

export interface CheckCallbackResponseOptions {
  /** Accept an XML reply sent with `Content-Type: application/xml` (D4 2025). Off by default (see docs). */
  readonly allowXml?: boolean;
}

export type CallbackResponseVerdict =
  | { readonly ok: true; readonly contentType: 'application/json' | 'application/xml' }
  | { readonly ok: false; readonly message: string; readonly ec?: string };

const tooLong = 'Error Status : 400.User server return too long content-length value';
const notJson = {
  ok: false,
  message: 'Response body is not valid json format.',
  ec: '0007-00000205',
} as const;

function mediaType(headers: CallbackResponseInput['headers']): string {
  const value = headers['content-type'];
  const first = typeof value === 'string' ? value : value?.[0];
  return (first ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export function checkCallbackResponse(
  response: CallbackResponseInput,
  options: CheckCallbackResponseOptions = {},
): CallbackResponseVerdict {
  // "must return 200 instead of 20x" (D7); redirects are not followed (G2: "Error status : 301.").
  if (response.status !== 200) return { ok: false, message: `Error status : ${response.status}.` };
  const { contentLength, bodyBytes } = response;
  if (contentLength === undefined || contentLength > maxCallbackResponseBytes)
    return { ok: false, message: tooLong };
  if (bodyBytes.length > maxCallbackResponseBytes) return { ok: false, message: tooLong };
  // JSON.parse would skip nothing, but TextDecoder strips a BOM unless told not to; ours keeps it, and
  // OSS calls a BOM-prefixed body invalid (D4, D7), so check the raw bytes explicitly.
  if (bodyBytes[0] === 0xef && bodyBytes[1] === 0xbb && bodyBytes[2] === 0xbf) return notJson;
  const text = decodeUtf8Strict(bodyBytes);
  if (text === undefined) return notJson;
  if (options.allowXml === true && mediaType(response.headers) === 'application/xml') {
    return text.trimStart().startsWith('<') ? { ok: true, contentType: 'application/xml' } : notJson;
  }
  return parsesAsJson(text) ? { ok: true, contentType: 'application/json' } : notJson;
}

export type CallbackTransportFailure = 'connect' | 'timeout' | 'tls';

export interface CallbackTimeoutDetail {
  /** host:port of the target, as OSS prints it. */
  readonly authority: string;
  readonly costMs: number;
  readonly timeoutMs: number;
}

/**
 * 203 messages for failures before any status arrives (§9.6 table). OSS's timeout text is printed garbled
 * in D7 (` error status:-1 8.8.8.8: 9090 reply timeout, cost: 5000 MS, …`); we keep its words in the
 * `Error status : -1.` form the connect message uses. A TLS failure is reported by OSS as 502 (T4).
 */
export function callbackFailureMessage(kind: 'connect' | 'tls'): string;
export function callbackFailureMessage(kind: 'timeout', detail: CallbackTimeoutDetail): string;
export function callbackFailureMessage(
  kind: CallbackTransportFailure,
  detail?: CallbackTimeoutDetail,
): string {
  switch (kind) {
    case 'connect':
      return 'Error status : -1. OSS can not connect to your callbackUrl, please check it.';
    case 'tls':
      return 'Error status : 502.';
    case 'timeout': {
      const { authority = '', costMs = 0, timeoutMs = 0 } = detail ?? {};
      return `Error status : -1. ${authority} reply timeout, cost: ${costMs} MS, timeout: ${timeoutMs} MS`;
    }
  }
}
