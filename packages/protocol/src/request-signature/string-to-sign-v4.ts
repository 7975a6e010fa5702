// V4 string to sign and signature (oss-protocol §7.2, §5.2).
import { createHash, createHmac } from 'node:crypto';
import { deriveV4SigningKey, v4ScopeTerminator } from '../post-signature/v4-signing-key.js';

export const v4Algorithm = 'OSS4-HMAC-SHA256';

export interface ScopeV4 {
  /** `YYYYMMDD`, the first 8 characters of x-oss-date. */
  date: string;
  /** Plain region id (`cn-hangzhou`, not `oss-cn-hangzhou`, §5.2). */
  region: string;
  /** `oss` (§7.1). */
  product?: string | undefined;
}

/** `<YYYYMMDD>/<region>/<product>/aliyun_v4_request` */
export function buildScopeV4(scope: ScopeV4): string {
  return `${scope.date}/${scope.region}/${scope.product ?? 'oss'}/${v4ScopeTerminator}`;
}

export interface StringToSignV4Input {
  /** x-oss-date, `YYYYMMDDTHHMMSSZ`; its first 8 characters are the scope date. */
  dateTime: string;
  region: string;
  product?: string | undefined;
  canonicalRequest: string;
}

/** "OSS4-HMAC-SHA256\n" + x-oss-date + "\n" + scope + "\n" + hex(SHA256(CanonicalRequest)) — §7.2. */
export function buildStringToSignV4(input: StringToSignV4Input): string {
  const scope = buildScopeV4({
    date: input.dateTime.slice(0, 8),
    region: input.region,
    product: input.product,
  });
  const hashed = createHash('sha256').update(input.canonicalRequest, 'utf8').digest('hex');
  return `${v4Algorithm}\n${input.dateTime}\n${scope}\n${hashed}`;
}

/** lower-case hex(HMAC-SHA256(kSigning, stringToSign)), kSigning derived from secret and scope (§5.2). */
export function signV4(stringToSign: string, secret: string, scope: ScopeV4): string {
  return signAllV4([stringToSign], secret, scope)[0] ?? '';
}

/** `signV4` for several strings under one scope, deriving kSigning once (the verifier tries candidates). */
export function signAllV4(stringsToSign: readonly string[], secret: string, scope: ScopeV4): string[] {
  const signingKey = deriveV4SigningKey(secret, scope.date, scope.region, scope.product ?? 'oss');
  return stringsToSign.map((text) => createHmac('sha256', signingKey).update(text, 'utf8').digest('hex'));
}
