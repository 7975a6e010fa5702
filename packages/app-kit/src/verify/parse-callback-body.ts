// Parses an authenticated callback body per its Content-Type (= the ticket's callbackBodyType, §8.1) into a
// VerifiedCallback. Strict on purpose: duplicate members are refused, because first-wins vs last-wins
// disagreement is the classic way to exploit a substitution bug (threats §B12), and numbers are checked.
import { parseStrictJson, StrictJsonError, type CallbackBodyType, type JsonNode } from '@upcall/protocol';
import { CallbackVerificationError } from './callback-verification-error.js';
import type { CallbackImageInfo, VerifiedCallback } from './verified-callback.js';

type Scalars = ReadonlyMap<string, string>;

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

/** Form bodies: OSS percent-encodes values (§8.5); space may arrive as `+` or `%20`, so both decode. */
function parseFormBody(text: string): { scalars: Scalars; raw: Record<string, unknown> } {
  const scalars = new Map<string, string>();
  const raw: Record<string, unknown> = {};
  // One pass with indexOf instead of split + slice: this runs for every callback (scenario 4).
  let start = 0;
  while (start <= text.length) {
    const amp = text.indexOf('&', start);
    const end = amp === -1 ? text.length : amp;
    if (end > start) addFormPair(scalars, raw, text, start, end);
    start = end + 1;
  }
  return { scalars, raw };
}

/** Like Object.fromEntries: a member named `__proto__` is an own property, never the prototype. */
function defineMember(target: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__')
    Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}

function addFormPair(
  scalars: Map<string, string>,
  raw: Record<string, unknown>,
  text: string,
  start: number,
  end: number,
): void {
  const equals = text.indexOf('=', start);
  const split = equals === -1 || equals > end ? end : equals;
  const name = decodeFormComponent(text.slice(start, split));
  const value = split === end ? '' : decodeFormComponent(text.slice(split + 1, end));
  if (scalars.has(name)) badRequest(`The callback body repeats the parameter "${name}".`);
  scalars.set(name, value);
  defineMember(raw, name, value);
}

function malformedPercent(): never {
  return badRequest('The callback body has a malformed percent-encoding.');
}

/** The byte a `%XX` escape at `at` names, or -1 when `at` does not start two hex digits. */
function hexByte(text: string, at: number): number {
  const high = hexValue(text.charCodeAt(at));
  const low = hexValue(text.charCodeAt(at + 1));
  return high < 0 || low < 0 ? -1 : high * 16 + low;
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  const lower = code | 0x20; // A-F → a-f
  return lower >= 97 && lower <= 102 ? lower - 87 : -1; // NaN (past the end) fails every comparison
}

/**
 * decodeURIComponent, with `+` as space. Escapes of ASCII bytes (the usual `%2F`, `%3A`, `%20`) are
 * decoded inline — V8's decodeURIComponent costs about a microsecond per call (scenario 4); any escape
 * of a byte ≥ 0x80 hands the whole text to decodeURIComponent, whose UTF-8 rules stay the only ones.
 */
function decodeFormComponent(raw: string): string {
  const plus = raw.indexOf('+');
  const text = plus === -1 ? raw : raw.replaceAll('+', ' ');
  let percent = text.indexOf('%');
  if (percent === -1) return text; // the common case for names and most values
  let decoded = '';
  let literalStart = 0;
  while (percent !== -1) {
    const byte = hexByte(text, percent + 1);
    if (byte < 0) return malformedPercent();
    if (byte >= 0x80) return decodeUtf8Component(text);
    decoded += text.slice(literalStart, percent) + String.fromCharCode(byte);
    literalStart = percent + 3;
    percent = text.indexOf('%', literalStart);
  }
  return decoded + text.slice(literalStart);
}

function decodeUtf8Component(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return malformedPercent();
  }
}

/** JSON numbers become numbers only when exact; otherwise (crc64 > 2^53) they stay text. */
function toPlain(node: JsonNode): unknown {
  switch (node.type) {
    case 'string':
    case 'boolean':
      return node.value;
    case 'null':
      return null;
    case 'number':
      return String(Number(node.text)) === node.text ? Number(node.text) : node.text;
    case 'array':
      return node.items.map(toPlain);
    case 'object':
      return Object.fromEntries([...node.members].map(([name, child]) => [name, toPlain(child)]));
  }
}

function scalarText(node: JsonNode): string | undefined {
  if (node.type === 'string') return node.value;
  if (node.type === 'number') return node.text;
  if (node.type === 'boolean') return String(node.value);
  return undefined;
}

/** JSON bodies: members as scalars; a nested `imageInfo` object is flattened to `imageInfo.height` etc. */
function parseJsonBody(text: string): { scalars: Scalars; raw: Record<string, unknown> } {
  let root: JsonNode;
  try {
    root = parseStrictJson(text, { maxDepth: 8 });
  } catch (error) {
    if (!(error instanceof StrictJsonError)) throw error;
    return badRequest(`The callback body is not valid JSON (${error.message}).`);
  }
  if (root.type !== 'object') return badRequest('The callback body is not a JSON object.');
  const scalars = new Map<string, string>();
  const add = (name: string, node: JsonNode): void => {
    const value = scalarText(node);
    if (value === undefined) return;
    if (scalars.has(name)) badRequest(`The callback body repeats the member "${name}".`);
    scalars.set(name, value);
  };
  for (const [name, node] of root.members) {
    if (node.type === 'object' && name === 'imageInfo') {
      for (const [child, value] of node.members) add(`imageInfo.${child}`, value);
    } else add(name, node);
  }
  return { scalars, raw: toPlain(root) as Record<string, unknown> };
}

function required(scalars: Scalars, name: string): string {
  const value = scalars.get(name);
  return value === undefined || value === '' ? badRequest(`The callback body has no "${name}".`) : value;
}

function optional(scalars: Scalars, name: string): string | undefined {
  const value = scalars.get(name);
  return value === undefined || value === '' ? undefined : value;
}

/** Sizes and image dimensions: a non-negative safe integer, as a JSON number or a decimal string (§8.5). */
function readCount(scalars: Scalars, name: string): number | undefined {
  const text = optional(scalars, name);
  if (text === undefined) return undefined;
  const value = /^(0|[1-9][0-9]*)$/.test(text) ? Number(text) : NaN;
  return Number.isSafeInteger(value)
    ? value
    : badRequest(`The callback body's "${name}" is not a whole number.`);
}

/** JSON tickets carry `"imageSize":"<width>x<height>"` (empty values stay inside the string, §8.5). */
function readImageSize(scalars: Scalars): { width?: number; height?: number } {
  const text = scalars.get('imageSize');
  const match = text === undefined ? null : /^([0-9]{1,9})x([0-9]{1,9})$/.exec(text);
  return match === null ? noImageSize : { width: Number(match[1]), height: Number(match[2]) };
}

const noImageSize: { width?: number; height?: number } = Object.freeze({});

function readImageInfo(scalars: Scalars): CallbackImageInfo | undefined {
  const imageSize = readImageSize(scalars);
  const height = readCount(scalars, 'imageInfo.height') ?? imageSize.height;
  const width = readCount(scalars, 'imageInfo.width') ?? imageSize.width;
  const format = optional(scalars, 'imageInfo.format');
  if (height === undefined && width === undefined && format === undefined) return undefined;
  const info: { height?: number; width?: number; format?: string } = {};
  if (height !== undefined) info.height = height;
  if (width !== undefined) info.width = width;
  if (format !== undefined) info.format = format;
  return info;
}

function readVars(scalars: Scalars): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [name, value] of scalars) if (name.startsWith('x:')) vars[name] = value;
  return vars;
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
  const { scalars, raw } = bodyType === 'application/json' ? parseJsonBody(text) : parseFormBody(text);
  // Checked in this order so that a body with several faults always reports the same one.
  const size = readCount(scalars, 'size') ?? badRequest('The callback body has no "size".');
  const uploadId = optional(scalars, 'uploadId') ?? required(scalars, 'x:upload_id');
  const imageInfo = readImageInfo(scalars);
  // Built member by member rather than with spreads (cheaper per callback, scenario 4); the member
  // order is the documented one: bucket … mimeType, imageInfo, extras, uploadId, vars, raw, …
  const result: Partial<MutableCallback> = {
    bucket: required(scalars, 'bucket'),
    object: required(scalars, 'object'),
    etag: required(scalars, 'etag').replace(/^"(.*)"$/, '$1'),
    size,
    mimeType: scalars.get('mimeType') ?? '',
  };
  if (imageInfo !== undefined) result.imageInfo = imageInfo;
  for (const name of extraMembers) {
    const value = optional(scalars, name);
    if (value !== undefined) result[name] = value;
  }
  result.uploadId = uploadId;
  result.vars = readVars(scalars);
  result.raw = raw;
  result.bodyType = bodyType;
  result.keyUrl = keyUrl;
  return result as VerifiedCallback;
}

const extraMembers = ['crc64', 'contentMd5', 'clientIp', 'reqId', 'operation', 'vpcId'] as const;
