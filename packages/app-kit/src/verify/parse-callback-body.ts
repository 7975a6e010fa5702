// Parses an authenticated callback body per its Content-Type (= the ticket's callbackBodyType, §8.1) into a
// VerifiedCallback. Strict on purpose: duplicate members are refused, because first-wins vs last-wins
// disagreement is the classic way to exploit a substitution bug (threats §B12), and numbers are checked.
// Reading the body is in parse-callback-body-form.ts / parse-callback-body-json.ts; this file maps the
// members they gathered (parse-callback-body-fields.ts) to the result.
import type { CallbackBodyType } from '@upcall/protocol';
import { CallbackVerificationError } from './callback-verification-error.js';
import type { CallbackBodyFields } from './parse-callback-body-fields.js';
import { parseCallbackBodyForm } from './parse-callback-body-form.js';
import { parseCallbackBodyJson } from './parse-callback-body-json.js';
import type { CallbackImageInfo, VerifiedCallback } from './verified-callback.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function badRequest(message: string): never {
  throw new CallbackVerificationError('bad-request', message);
}

/** The callbackBodyType a Content-Type header names, ignoring parameters such as `charset`. */
export function readCallbackBodyType(contentType: string | undefined): CallbackBodyType | undefined {
  // OSS sends exactly one of the two bare media types (§8.1): answer those without splitting.
  if (contentType === 'application/x-www-form-urlencoded' || contentType === 'application/json')
    return contentType;
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'application/x-www-form-urlencoded') return mediaType;
  if (mediaType === 'application/json') return mediaType;
  return undefined;
}

/** An empty member counts as absent (non-images send `imageInfo.height=`, multipart no contentMd5). */
function present(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

function required(value: string | undefined, name: string): string {
  return value === undefined || value === '' ? badRequest(`The callback body has no "${name}".`) : value;
}

/** Sizes and image dimensions: a non-negative safe integer, as a JSON number or a decimal string (§8.5). */
function readCount(text: string | undefined, name: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  const value = isDecimal(text) ? Number(text) : NaN;
  return Number.isSafeInteger(value)
    ? value
    : badRequest(`The callback body's "${name}" is not a whole number.`);
}

/** `0` or digits without a leading zero: what /^(0|[1-9][0-9]*)$/ accepts, without the regex. */
function isDecimal(text: string): boolean {
  if (text.charCodeAt(0) === 48) return text.length === 1;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/** JSON tickets carry `"imageSize":"<width>x<height>"` (empty values stay inside the string, §8.5). */
function readImageSize(text: string | undefined): { width?: number; height?: number } {
  const match = text === undefined ? null : /^([0-9]{1,9})x([0-9]{1,9})$/.exec(text);
  return match === null ? noImageSize : { width: Number(match[1]), height: Number(match[2]) };
}

const noImageSize: { width?: number; height?: number } = Object.freeze({});

function readImageInfo(fields: CallbackBodyFields): CallbackImageInfo | undefined {
  const imageSize = readImageSize(fields.imageSize);
  const height = readCount(fields.imageHeight, 'imageInfo.height') ?? imageSize.height;
  const width = readCount(fields.imageWidth, 'imageInfo.width') ?? imageSize.width;
  const format = present(fields.imageFormat);
  if (height === undefined && width === undefined && format === undefined) return undefined;
  const info: { height?: number; width?: number; format?: string } = {};
  if (height !== undefined) info.height = height;
  if (width !== undefined) info.width = width;
  if (format !== undefined) info.format = format;
  return info;
}

const lineTerminator = /[\n\r\u2028\u2029]/;

/**
 * §8.4 says OSS substitutes the ETag unquoted; quotes are stripped defensively. What
 * `etag.replace(/^"(.*)"$/, '$1')` does (`.` stops at line terminators), without building a match.
 */
function unquoteEtag(etag: string): string {
  const quoted =
    etag.length >= 2 &&
    etag.charCodeAt(0) === 0x22 &&
    etag.charCodeAt(etag.length - 1) === 0x22 &&
    !lineTerminator.test(etag);
  return quoted ? etag.slice(1, -1) : etag;
}

type MutableCallback = { -readonly [K in keyof VerifiedCallback]: VerifiedCallback[K] };

/** Parses an already authenticated body; throws CallbackVerificationError('bad-request'). */
export function parseCallbackBody(
  body: Uint8Array,
  bodyType: CallbackBodyType,
  keyUrl: string,
): VerifiedCallback {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return badRequest('The callback body is not valid UTF-8.');
  }
  const fields = bodyType === 'application/json' ? parseCallbackBodyJson(text) : parseCallbackBodyForm(text);
  // Checked in this order so that a body with several faults always reports the same one.
  const size = readCount(fields.size, 'size') ?? badRequest('The callback body has no "size".');
  const uploadId = present(fields.uploadId) ?? required(fields.xUploadId, 'x:upload_id');
  const imageInfo = readImageInfo(fields);
  const bucket = required(fields.bucket, 'bucket');
  const object = required(fields.object, 'object');
  const etag = unquoteEtag(required(fields.etag, 'etag'));
  const mimeType = fields.mimeType ?? '';
  const { vars, raw } = fields;
  // The member order is the documented one: bucket … mimeType, imageInfo, extras, uploadId, vars, raw, …
  // One literal when there are no optional members (the usual OSS body): cheaper than adding members.
  if (imageInfo === undefined && !hasExtras(fields))
    return { bucket, object, etag, size, mimeType, uploadId, vars, raw, bodyType, keyUrl };
  const result: Partial<MutableCallback> = { bucket, object, etag, size, mimeType };
  if (imageInfo !== undefined) result.imageInfo = imageInfo;
  addExtras(result, fields);
  result.uploadId = uploadId;
  result.vars = vars;
  result.raw = raw;
  result.bodyType = bodyType;
  result.keyUrl = keyUrl;
  return result as VerifiedCallback;
}

function hasExtras(fields: CallbackBodyFields): boolean {
  return (
    present(fields.crc64) !== undefined ||
    present(fields.contentMd5) !== undefined ||
    present(fields.clientIp) !== undefined ||
    present(fields.reqId) !== undefined ||
    present(fields.operation) !== undefined ||
    present(fields.vpcId) !== undefined
  );
}

/** The optional system variables, in the documented order, each only when present and non-empty. */
function addExtras(result: Partial<MutableCallback>, fields: CallbackBodyFields): void {
  if (present(fields.crc64) !== undefined) result.crc64 = fields.crc64;
  if (present(fields.contentMd5) !== undefined) result.contentMd5 = fields.contentMd5;
  if (present(fields.clientIp) !== undefined) result.clientIp = fields.clientIp;
  if (present(fields.reqId) !== undefined) result.reqId = fields.reqId;
  if (present(fields.operation) !== undefined) result.operation = fields.operation;
  if (present(fields.vpcId) !== undefined) result.vpcId = fields.vpcId;
}
