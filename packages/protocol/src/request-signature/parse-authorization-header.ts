// Parses the Authorization header of V1 (`OSS ak:sig`, §6.1) and V4 (`OSS4-HMAC-SHA256 Credential=…`,
// §7.1) requests. Malformed values throw InvalidArgument (400, D11). Signature *content* is not judged
// here (a non-base64 V1 signature parses and then fails as SignatureDoesNotMatch, threats C1.2).
import type { OssError } from '../errors/index.js';
import { parseV4Credential } from '../post-signature/v4-credential.js';
import { buildInvalidArgumentError } from './auth-errors.js';
import { v4Algorithm } from './string-to-sign-v4.js';

export interface AuthorizationV1 {
  scheme: 'v1';
  accessKeyId: string;
  signature: string;
}

export interface AuthorizationV4 {
  scheme: 'v4';
  accessKeyId: string;
  /** `YYYYMMDD` from the credential scope. */
  date: string;
  region: string;
  product: string;
  /** As listed by the client (`AdditionalHeaders=abc;zabc`), not yet filtered. */
  additionalHeaders: string[];
  signature: string;
}

export type ParsedAuthorization = AuthorizationV1 | AuthorizationV4;

function malformed(value: string): OssError {
  return buildInvalidArgumentError('Authorization', value, 'Authorization header is invalid.');
}

function parseV1(rest: string, raw: string): AuthorizationV1 {
  const match = /^([^\s:]+):(\S+)$/.exec(rest);
  if (match === null) throw malformed(raw);
  return { scheme: 'v1', accessKeyId: match[1] ?? '', signature: match[2] ?? '' };
}

/**
 * Fields in any order, separated by `,` with optional whitespace around it: no spaces (Go, Python v2,
 * ali-oss), `, ` (D13), and oss2's `Credential=…, Signature=…, AdditionalHeaders=…` (§7.1).
 */
function parseV4Fields(rest: string, raw: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const item of rest.split(',')) {
    const trimmed = item.trim();
    const eq = trimmed.indexOf('=');
    const name = eq === -1 ? trimmed : trimmed.slice(0, eq).trim();
    const known = name === 'Credential' || name === 'AdditionalHeaders' || name === 'Signature';
    if (eq === -1 || !known || fields.has(name)) {
      throw malformed(raw);
    }
    fields.set(name, trimmed.slice(eq + 1).trim());
  }
  return fields;
}

function parseV4(rest: string, raw: string): AuthorizationV4 {
  const fields = parseV4Fields(rest, raw);
  const credential = fields.get('Credential');
  const signature = fields.get('Signature');
  if (credential === undefined || signature === undefined || signature === '' || /\s/.test(signature)) {
    throw malformed(raw);
  }
  const additional = fields.get('AdditionalHeaders') ?? '';
  return {
    scheme: 'v4',
    // Shared with POST V4: malformed ⇒ InvalidArgument EC 0002-00000710 (D9).
    ...parseV4Credential(credential),
    additionalHeaders: additional === '' ? [] : additional.split(';').map((name) => name.trim()),
    signature,
  };
}

/** Throws OssError InvalidArgument for anything that is not a well-formed V1 or V4 value. */
export function parseAuthorizationHeader(value: string): ParsedAuthorization {
  const trimmed = value.trim();
  const space = trimmed.search(/\s/);
  const scheme = space === -1 ? trimmed : trimmed.slice(0, space);
  const rest = space === -1 ? '' : trimmed.slice(space).trim();
  if (scheme === 'OSS') return parseV1(rest, value);
  if (scheme === v4Algorithm) return parseV4(rest, value);
  throw malformed(value);
}
