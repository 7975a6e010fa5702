// Recognises query-string auth: V1 (`OSSAccessKeyId`, `Expires`, `Signature`, §6.2) and V4
// (`x-oss-signature-version`, `x-oss-credential`, `x-oss-date`, `x-oss-expires`, `x-oss-signature`,
// §7.3). A parser: malformed or incomplete auth throws OssError. Repeated parameters: the first value
// counts (§6.2).
import { OssError } from '../errors/index.js';
import { parseV4Credential, type V4Credential } from '../post-signature/v4-credential.js';
import { buildInvalidArgumentError } from './auth-errors.js';
import { readFirstQuery } from './request-parts.js';
import { v4Algorithm } from './string-to-sign-v4.js';

export interface PresignedV1 {
  scheme: 'v1';
  accessKeyId: string;
  /** The `Expires` text exactly as sent (it is the signed date line). */
  expires: string;
  expiresUnixSeconds: number;
  signature: string;
}

export interface PresignedV4 extends V4Credential {
  scheme: 'v4';
  /** x-oss-date, `YYYYMMDDTHHMMSSZ`, checked for shape by the verifier. */
  dateTime: string;
  expiresSeconds: number;
  additionalHeaders: string[];
  signature: string;
}

export type PresignedAuth = PresignedV1 | PresignedV4 | { scheme: 'none' };

export const v1QueryAuthNames = ['OSSAccessKeyId', 'Expires', 'Signature'] as const;
export const v4QueryAuthNames = ['x-oss-signature-version', 'x-oss-credential', 'x-oss-signature'] as const;

/** D14: x-oss-expires must be 1…604800 seconds (7 days). */
export const maxV4ExpiresSeconds = 604800;
export const invalidV4ExpiresEc = '0002-00000232';
/** D9: empty x-oss-credential. */
export const emptyV4CredentialEc = '0002-00000218';

type Query = ReadonlyArray<readonly [string, string]>;

function hasAny(query: Query, names: readonly string[]): boolean {
  return query.some(([name]) => names.includes(name));
}

function detectV1(query: Query): PresignedV1 {
  const [accessKeyId, expires, signature] = v1QueryAuthNames.map((name) => readFirstQuery(query, name));
  // D12: missing any of the three ⇒ AccessDenied. Empty counts as missing (INFERRED).
  if (!accessKeyId || !expires || !signature) {
    throw new OssError('AccessDenied', {
      message: 'Signature, OSSAccessKeyId and Expires must all be present in the query string.',
    });
  }
  if (!/^\d{1,15}$/.test(expires))
    throw buildInvalidArgumentError('Expires', expires, 'Expires is not a valid time.');
  return { scheme: 'v1', accessKeyId, expires, expiresUnixSeconds: Number(expires), signature };
}

function readExpiresV4(query: Query): number {
  const text = readFirstQuery(query, 'x-oss-expires') ?? '';
  const seconds = /^\d{1,7}$/.test(text) ? Number(text) : NaN;
  if (!(seconds >= 1 && seconds <= maxV4ExpiresSeconds)) {
    throw buildInvalidArgumentError(
      'x-oss-expires',
      text,
      `x-oss-expires must be between 1 and ${maxV4ExpiresSeconds} seconds.`,
      invalidV4ExpiresEc,
    );
  }
  return seconds;
}

function detectV4(query: Query): PresignedV4 {
  const version = readFirstQuery(query, 'x-oss-signature-version');
  if (version !== v4Algorithm) {
    throw buildInvalidArgumentError(
      'x-oss-signature-version',
      version ?? '',
      'Unsupported signature version.',
    );
  }
  const credential = readFirstQuery(query, 'x-oss-credential') ?? '';
  if (credential === '') {
    throw buildInvalidArgumentError(
      'x-oss-credential',
      '',
      'x-oss-credential is empty.',
      emptyV4CredentialEc,
    );
  }
  const dateTime = readFirstQuery(query, 'x-oss-date');
  const signature = readFirstQuery(query, 'x-oss-signature');
  // Mirrors D12's V1 rule for an incomplete trio (INFERRED for V4).
  if (!dateTime || !signature) {
    throw new OssError('AccessDenied', {
      message: 'x-oss-date and x-oss-signature must be present in the query string.',
    });
  }
  const additional = readFirstQuery(query, 'x-oss-additional-headers') ?? '';
  return {
    scheme: 'v4',
    ...parseV4Credential(credential),
    dateTime,
    expiresSeconds: readExpiresV4(query),
    additionalHeaders: additional === '' ? [] : additional.split(';'),
    signature,
  };
}

/** Whether any V1 or V4 query-auth parameter is present, complete or not. */
export function hasQueryAuthParams(query: Query): boolean {
  return hasAny(query, v1QueryAuthNames) || hasAny(query, v4QueryAuthNames);
}

/** V1 and V4 query auth together is "more than one auth mechanism" ⇒ InvalidArgument (§6.2, C1.5). */
export function detectPresigned(query: Query): PresignedAuth {
  const v1 = hasAny(query, v1QueryAuthNames);
  const v4 = hasAny(query, v4QueryAuthNames);
  if (v1 && v4) {
    throw new OssError('InvalidArgument', {
      message: 'Only one authentication method may be used in a request.',
    });
  }
  if (v1) return detectV1(query);
  if (v4) return detectV4(query);
  return { scheme: 'none' };
}
