// Constant-time POST signature verification (threats §B8, §C1.1–C1.3). The expected signature is
// recomputed over the Base64 text as sent and compared as bytes with timingSafeEqual; a provided
// signature of the wrong length (or empty, or not Base64/hex at all) is simply a mismatch — never a
// throw that would surface as a 500. V4 signatures must be lower-case hex as OSS emits them (§5.2).
import { timingSafeEqual } from 'node:crypto';
import { signPostPolicyV1, signPostPolicyV4, type PostPolicyV4SigningInput } from './sign-post-policy.js';

export type PostSignatureCheck =
  | {
      readonly version: 'v1';
      readonly policyBase64: string;
      readonly signature: string;
      readonly accessKeySecret: string;
    }
  | ({
      readonly version: 'v4';
      readonly policyBase64: string;
      readonly signature: string;
    } & PostPolicyV4SigningInput);

function timingSafeEqualText(provided: string, expected: string): boolean {
  const a = Buffer.from(provided, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** True when `signature` is the correct V1/V4 signature of `policyBase64`. */
export function verifyPostSignature(check: PostSignatureCheck): boolean {
  const expected =
    check.version === 'v1'
      ? signPostPolicyV1(check.policyBase64, check.accessKeySecret)
      : signPostPolicyV4(check.policyBase64, check);
  return timingSafeEqualText(check.signature, expected);
}
