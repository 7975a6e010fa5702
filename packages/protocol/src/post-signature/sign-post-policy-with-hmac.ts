// POST policy signatures (oss-protocol §5.1, §5.2) over an injected async HMAC, for browsers and other
// runtimes without node:crypto. Same algorithm and output as sign-post-policy.ts; imports no node:*.
import { encodeBase64 } from '../policy/base64-codec.js';
import { encodeHex } from './encode-hex.js';

export type HmacAlgorithm = 'SHA-1' | 'SHA-256';
/** WebCrypto-compatible HMAC: returns HMAC-<alg>(key, data). See createWebCryptoHmac. */
export type HmacFunction = (alg: HmacAlgorithm, key: Uint8Array, data: Uint8Array) => Promise<Uint8Array>;

export interface PostPolicyV4HmacSigningInput {
  readonly accessKeySecret: string;
  /** Credential scope date `YYYYMMDD`. */
  readonly date: string;
  /** Plain region id, e.g. `cn-hangzhou`. */
  readonly region: string;
}

const utf8 = new TextEncoder();

/** The §5.2 key chain: "aliyun_v4"+secret → date → region → product → "aliyun_v4_request". */
export async function deriveV4SigningKeyWithHmac(
  hmac: HmacFunction,
  accessKeySecret: string,
  date: string,
  region: string,
  product = 'oss',
): Promise<Uint8Array> {
  let key = await hmac('SHA-256', utf8.encode('aliyun_v4' + accessKeySecret), utf8.encode(date));
  for (const step of [region, product, 'aliyun_v4_request']) {
    key = await hmac('SHA-256', key, utf8.encode(step));
  }
  return key;
}

export async function signPostPolicyV1WithHmac(
  policyBase64: string,
  accessKeySecret: string,
  hmac: HmacFunction,
): Promise<string> {
  return encodeBase64(await hmac('SHA-1', utf8.encode(accessKeySecret), utf8.encode(policyBase64)));
}

export async function signPostPolicyV4WithHmac(
  policyBase64: string,
  input: PostPolicyV4HmacSigningInput,
  hmac: HmacFunction,
): Promise<string> {
  const signingKey = await deriveV4SigningKeyWithHmac(hmac, input.accessKeySecret, input.date, input.region);
  return encodeHex(await hmac('SHA-256', signingKey, utf8.encode(policyBase64)));
}
