// V4 signing key (oss-protocol §5.2, Appendix B), shared by POST policies and header/URL signatures:
//   kDate = HMAC-SHA256("aliyun_v4" + secret, YYYYMMDD); kRegion = HMAC(kDate, region);
//   kService = HMAC(kRegion, product); kSigning = HMAC(kService, "aliyun_v4_request").
// `region` is the plain region id (`cn-hangzhou`, not `oss-cn-hangzhou`).
import { createHmac } from 'node:crypto';

export const v4SecretPrefix = 'aliyun_v4';
export const v4ScopeTerminator = 'aliyun_v4_request';

function hmacSha256(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/**
 * Derived keys by (secret, date, region, product): every V4 request of a day derives the same key, and
 * the four HMACs were a third of a small PostObject's signature check (docs/benchmarks.md, scenario 3).
 * A key is a pure function of its inputs, so remembering it changes no result. Bounded: cleared when
 * full (a day's keys for a handful of credentials and regions fit many times over).
 */
const derivedKeys = new Map<string, Buffer>();
const maxDerivedKeys = 256;

/** The signing key; the returned Buffer is shared between calls — never modify it. */
export function deriveV4SigningKey(
  accessKeySecret: string,
  date: string,
  region: string,
  product = 'oss',
): Buffer {
  const cacheKey = JSON.stringify([accessKeySecret, date, region, product]); // unambiguous for any text
  const known = derivedKeys.get(cacheKey);
  if (known !== undefined) return known;
  const kDate = hmacSha256(v4SecretPrefix + accessKeySecret, date);
  const kRegion = hmacSha256(kDate, region);
  const kService = hmacSha256(kRegion, product);
  const signingKey = hmacSha256(kService, v4ScopeTerminator);
  if (derivedKeys.size >= maxDerivedKeys) derivedKeys.clear();
  derivedKeys.set(cacheKey, signingKey);
  return signingKey;
}
