// POST policy signatures on Node (oss-protocol §5). The string to sign is the Base64 `policy` text
// exactly as sent, never re-serialised JSON (§4.1).
//   V1: Signature = Base64(HMAC-SHA1(AccessKeySecret, policyBase64))            (§5.1)
//   V4: x-oss-signature = hex(HMAC-SHA256(signingKey, policyBase64))            (§5.2)
import { createHmac } from 'node:crypto';
import { deriveV4SigningKey } from './v4-signing-key.js';

export interface PostPolicyV4SigningInput {
  readonly accessKeySecret: string;
  /** Credential scope date `YYYYMMDD` (the first 8 characters of `x-oss-date`). */
  readonly date: string;
  /** Plain region id, e.g. `cn-hangzhou`. */
  readonly region: string;
}

export function signPostPolicyV1(policyBase64: string, accessKeySecret: string): string {
  return createHmac('sha1', accessKeySecret).update(policyBase64, 'utf8').digest('base64');
}

export function signPostPolicyV4(policyBase64: string, input: PostPolicyV4SigningInput): string {
  const signingKey = deriveV4SigningKey(input.accessKeySecret, input.date, input.region);
  return createHmac('sha256', signingKey).update(policyBase64, 'utf8').digest('hex');
}
