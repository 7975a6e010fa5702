// The `callback` upload parameter (oss-protocol §8.1, §8.3, §8.6): base64 of a UTF-8 JSON object, sent as
// the x-oss-callback header, the `callback` query parameter or the PostObject `callback` form field.
// Everything that could fail later (URL syntax, template syntax, JSON-body shape) is checked here, so a
// bad parameter is a 400 before anything is stored (§8.6 INFERRED; threats §C5.47).
import {
  callbackArgumentFailer,
  callbackEc,
  notJsonMessage,
  type FailCallbackArgument,
} from './callback-argument-error.js';
import { parseCallbackTemplate, type CallbackTemplatePart } from './callback-template.js';
import { parseCallbackUrls, type CallbackUrl } from './callback-url.js';
import { callbackBodyTypes, callbackJsonFields, type CallbackBodyType } from './callback-wire-names.js';
import { decodeBase64Strict, decodeUtf8Strict } from './strict-base64.js';

/** callback and callback-var are each limited to 5 KB in headers and query strings (§8.2, D6). */
export const defaultCallbackParamMaxBytes = 5 * 1024;

export interface CallbackConfig {
  /** 1–5 targets, tried in order until one succeeds (§9.1). */
  readonly urls: readonly CallbackUrl[];
  /** `callbackHost`: overrides the Host header; undefined ⇒ each URL's own authority. */
  readonly host: string | undefined;
  /** `callbackBody` as written. */
  readonly body: string;
  readonly template: readonly CallbackTemplatePart[];
  readonly bodyType: CallbackBodyType;
  /** `callbackSNI` (default false). */
  readonly sni: boolean;
  /** The decoded JSON text, for logs and later error ArgumentValues. */
  readonly json: string;
}

export interface ParseCallbackParamOptions {
  /** Limit on the base64 text as received; PostObject form fields may pass a larger one. */
  maxBytes?: number;
}

// A Host header value: DNS name or IPv4, optional port. No CR/LF, spaces, `@`, `/` (threats §B12).
const callbackHostPattern = /^[A-Za-z0-9._-]{1,253}(:[0-9]{1,5})?$/;

function readHost(value: unknown, fail: FailCallbackArgument): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return fail(callbackEc.invalidHost, 'The callbackHost must be a string.');
  const port = value.includes(':') ? Number(value.slice(value.indexOf(':') + 1)) : 80;
  if (!callbackHostPattern.test(value) || port < 1 || port > 65535) {
    fail(callbackEc.invalidHost, 'The callbackHost is not a valid host name or IP address.');
  }
  return value;
}

function readBody(value: unknown, fail: FailCallbackArgument): string {
  if (value === undefined || value === null || value === '') {
    return fail(callbackEc.emptyBody, 'The callbackBody is empty.');
  }
  if (typeof value !== 'string') return fail(callbackEc.invalidBody, 'The callbackBody must be a string.');
  return value;
}

function readBodyType(value: unknown, fail: FailCallbackArgument): CallbackBodyType {
  if (value === undefined || value === null) return callbackBodyTypes[0];
  const found = callbackBodyTypes.find((type) => type === value);
  return found ?? fail(callbackEc.invalidBodyType, 'The callbackBodyType is not supported.');
}

/** Booleans, plus the strings "true"/"false" (some SDKs stringify; decided in docs/protocol-decisions.md). */
function readSni(value: unknown, fail: FailCallbackArgument): boolean {
  if (value === undefined || value === null) return false;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return fail(undefined, 'The callbackSNI must be true or false.');
}

function decodeJsonObject(
  base64: string,
  maxBytes: number,
): { json: string; fields: Record<string, unknown> } {
  const raw: FailCallbackArgument = callbackArgumentFailer('callback', base64.slice(0, maxBytes));
  if (base64.length > maxBytes) raw(undefined, `The callback parameter exceeds ${maxBytes} bytes.`);
  const bytes = decodeBase64Strict(base64, { requirePadding: false });
  if (bytes === undefined) raw(callbackEc.notBase64, 'The callback parameter is not valid base64.');
  const json = decodeUtf8Strict(bytes) ?? raw(callbackEc.notJson, notJsonMessage);
  const fail: FailCallbackArgument = callbackArgumentFailer('callback', json);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    fail(callbackEc.notJson, notJsonMessage);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    fail(callbackEc.notJson, notJsonMessage);
  return { json, fields: parsed as Record<string, unknown> };
}

/** Decodes and validates a `callback` parameter; throws OssError InvalidArgument with OSS's EC codes. */
export function parseCallbackParam(base64: string, options: ParseCallbackParamOptions = {}): CallbackConfig {
  const { json, fields } = decodeJsonObject(base64, options.maxBytes ?? defaultCallbackParamMaxBytes);
  const fail: FailCallbackArgument = callbackArgumentFailer('callback', json);
  const urlValue = fields[callbackJsonFields.url];
  if (typeof urlValue !== 'string')
    fail(callbackEc.invalidUrl, 'The callbackUrl is required and must be a string.');
  const urls = parseCallbackUrls(urlValue, fail);
  const host = readHost(fields[callbackJsonFields.host], fail);
  const body = readBody(fields[callbackJsonFields.body], fail);
  const bodyType = readBodyType(fields[callbackJsonFields.bodyType], fail);
  const sni = readSni(fields[callbackJsonFields.sni], fail);
  const template = parseCallbackTemplate(body, bodyType, fail);
  return { urls, host, body, template, bodyType, sni, json };
}
