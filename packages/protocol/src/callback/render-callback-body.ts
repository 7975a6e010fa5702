// Renders callbackBody with the upload's values (oss-protocol §8.4, §8.5). Injection-proof by
// construction (threats §B12, §C5.48): only substituted values are transformed, never template text.
// - form (application/x-www-form-urlencoded): values are UTF-8 percent-encoded per RFC 3986 (unreserved
//   kept, space → %20), so `&`, `=`, `+` in an object key cannot start a new pair.
// - JSON: a variable outside a string literal becomes a whole JSON value (strings quoted and escaped,
//   size/imageInfo.width/imageInfo.height bare numbers); inside a string literal (Cloudreve's
//   "${imageInfo.width},${imageInfo.height}") only the escaped characters are inserted.
// Choices for UNKNOWNs (crc64 as a string, missing x: vars → "", absent image values) are in
// docs/protocol-decisions.md "Callback".
import type { CallbackConfig } from './parse-callback-param.js';
import type { CallbackTemplatePart, CallbackVariableName } from './callback-template.js';
import type { CallbackCustomVars } from './parse-callback-var.js';

export interface CallbackImageInfo {
  readonly height: number;
  readonly width: number;
  /** e.g. `jpg`, `png` (case UNKNOWN in OSS, §8.4). */
  readonly format: string;
}

export interface CallbackSystemVars {
  readonly bucket: string;
  readonly object: string;
  /** Upper-case hex MD5 without quotes (§8.4). */
  readonly etag: string;
  readonly size: number;
  readonly mimeType: string;
  /** Undefined for non-images: the three imageInfo variables are then empty. */
  readonly imageInfo?: CallbackImageInfo | undefined;
  /** Unsigned decimal, as in x-oss-hash-crc64ecma. */
  readonly crc64: string;
  /** Base64 MD5; '' for CompleteMultipartUpload (§8.4). */
  readonly contentMd5: string;
  /** '' when not requested through a VPC. */
  readonly vpcId: string;
  readonly clientIp: string;
  readonly reqId: string;
  /** `PutObject`, `PostObject` or `CompleteMultipartUpload`. */
  readonly operation: string;
}

export interface CallbackVars {
  readonly system: CallbackSystemVars;
  readonly custom: Readonly<CallbackCustomVars>;
}

type Resolved = { type: 'string'; text: string } | { type: 'number'; text: string } | { type: 'absent' };

function dimension(value: number | undefined): Resolved {
  return value === undefined ? { type: 'absent' } : { type: 'number', text: String(value) };
}

function resolve(name: CallbackVariableName, vars: CallbackVars): Resolved {
  const { system, custom } = vars;
  switch (name) {
    case 'size':
      return { type: 'number', text: String(system.size) };
    case 'imageInfo.height':
      return dimension(system.imageInfo?.height);
    case 'imageInfo.width':
      return dimension(system.imageInfo?.width);
    case 'imageInfo.format':
      return { type: 'string', text: system.imageInfo?.format ?? '' };
    case 'bucket':
    case 'object':
    case 'etag':
    case 'mimeType':
    case 'crc64':
    case 'contentMd5':
    case 'vpcId':
    case 'clientIp':
    case 'reqId':
    case 'operation':
      return { type: 'string', text: system[name] };
    default:
      return { type: 'string', text: Object.hasOwn(custom, name) ? (custom[name] ?? '') : '' };
  }
}

const unreservedBytes = /^[A-Za-z0-9\-._~]$/;
const percentTable = Array.from({ length: 256 }, (_, byte) => {
  const char = String.fromCharCode(byte);
  return unreservedBytes.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
});

/** RFC 3986 percent-encoding of the UTF-8 bytes (lone surrogates become U+FFFD instead of throwing). */
function percentEncodeRfc3986(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) out += percentTable[byte]!;
  return out;
}

function renderVariable(
  part: Extract<CallbackTemplatePart, { kind: 'variable' }>,
  json: boolean,
  vars: CallbackVars,
): string {
  const value = resolve(part.name, vars);
  if (value.type === 'absent') return '';
  if (!json) return percentEncodeRfc3986(value.text);
  if (value.type === 'number') return value.text;
  const literal = JSON.stringify(value.text);
  return part.inJsonString ? literal.slice(1, -1) : literal;
}

/** The callback request body for this upload, as UTF-8 bytes. */
export function renderCallbackBody(
  config: Pick<CallbackConfig, 'template' | 'bodyType'>,
  vars: CallbackVars,
): Buffer {
  if (!Number.isSafeInteger(vars.system.size) || vars.system.size < 0) {
    throw new RangeError(`renderCallbackBody: size must be a non-negative integer, got ${vars.system.size}`);
  }
  const json = config.bodyType === 'application/json';
  let body = '';
  for (const part of config.template)
    body += part.kind === 'text' ? part.text : renderVariable(part, json, vars);
  return Buffer.from(body, 'utf8');
}
