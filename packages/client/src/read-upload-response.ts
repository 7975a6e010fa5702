// Turns storage's HTTP answer to the form POST into an UploadResult (oss-protocol §3.8, §9.6, §10.1).
// Response headers may be hidden by CORS (§12), so values are read from the body first and headers
// are only a fallback; nothing here assumes ETag or x-oss-request-id is visible.
import { decodeErrorXml } from '@upcall/protocol/browser';
import type { TransportResponse } from './transport.js';
import type { UploadResult } from './upload-result.js';

export interface UploadContext {
  readonly attempts: number;
  readonly key?: string;
  readonly uploadId?: string;
}

/** Longest non-XML error body kept as a message: enough to debug a proxy page, bounded for the UI. */
const maxMessageChars = 1024;

/** ETags come quoted from headers and unquoted in PostResponse (§3.8 capture); results never quote. */
function unquote(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  return value.replace(/^"(.*)"$/, '$1');
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : value;
}

/** Text of the first `<name>` element of a small trusted-shape document (PostResponse, §3.8). */
function readXmlText(xml: string, name: string): string | undefined {
  const start = xml.indexOf(`<${name}>`);
  const end = start === -1 ? -1 : xml.indexOf(`</${name}>`, start);
  if (end === -1) return undefined;
  return xml
    .slice(start + name.length + 2, end)
    .replace(
      /&(lt|gt|quot|apos|amp);/g,
      (_, ref: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'" })[ref] ?? '&',
    );
}

/** The relayed app reply: JSON when it parses (the callback contract, §9.6), else the raw text. */
function parseRelayedBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function readSuccess(response: TransportResponse, context: UploadContext): UploadResult {
  const headerEtag = unquote(response.headers('etag'));
  const requestId = nonEmpty(response.headers('x-oss-request-id'));
  const isPostResponse = response.status === 201 && response.bodyText.includes('<PostResponse');
  const key = isPostResponse ? (readXmlText(response.bodyText, 'Key') ?? context.key) : context.key;
  const etag = isPostResponse ? (unquote(readXmlText(response.bodyText, 'ETag')) ?? headerEtag) : headerEtag;
  return {
    ...context,
    ...(key === undefined ? {} : { key }),
    status: 'confirmed',
    httpStatus: response.status,
    body: isPostResponse ? undefined : parseRelayedBody(response.bodyText),
    ...(etag === undefined ? {} : { etag }),
    ...(requestId === undefined ? {} : { requestId }),
  };
}

function readCallbackFailed(response: TransportResponse, context: UploadContext): UploadResult {
  const decoded = decodeErrorXml(response.bodyText);
  const requestId = nonEmpty(decoded?.requestId) ?? nonEmpty(response.headers('x-oss-request-id'));
  const ec = nonEmpty(decoded?.ec) ?? nonEmpty(response.headers('x-oss-ec'));
  const etag = unquote(response.headers('etag'));
  return {
    ...context,
    status: 'stored-unconfirmed',
    httpStatus: 203,
    code: 'CallbackFailed',
    message: decoded?.message ?? response.bodyText.slice(0, maxMessageChars),
    ...(requestId === undefined ? {} : { requestId }),
    ...(ec === undefined ? {} : { ec }),
    ...(etag === undefined ? {} : { etag }),
  };
}

function readRejection(response: TransportResponse, context: UploadContext): UploadResult {
  const decoded = decodeErrorXml(response.bodyText);
  const requestId = nonEmpty(decoded?.requestId) ?? nonEmpty(response.headers('x-oss-request-id'));
  const ec = nonEmpty(decoded?.ec) ?? nonEmpty(response.headers('x-oss-ec'));
  return {
    ...context,
    status: 'rejected',
    httpStatus: response.status,
    code: decoded?.code ?? 'UnknownError',
    message: decoded?.message ?? response.bodyText.trim().slice(0, maxMessageChars),
    ...(requestId === undefined ? {} : { requestId }),
    ...(ec === undefined ? {} : { ec }),
    details: decoded ? { ...decoded.fields } : {},
  };
}

/**
 * 203 ⇒ stored-unconfirmed (§9.6, checked before the 2xx range it belongs to); other 2xx ⇒ confirmed
 * (200 relays the callback reply or is empty, 201 carries PostResponse XML, 204 is empty, §3.8);
 * anything else ⇒ rejected with the OSS error document's fields (§10.1).
 */
export function readUploadResponse(response: TransportResponse, context: UploadContext): UploadResult {
  if (response.status === 203) return readCallbackFailed(response, context);
  if (response.status >= 200 && response.status < 300) return readSuccess(response, context);
  return readRejection(response, context);
}
