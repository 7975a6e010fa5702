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

export function deriveV4SigningKey(
  accessKeySecret: string,
  date: string,
  region: string,
  product = 'oss',
): Buffer {
  const kDate = hmacSha256(v4SecretPrefix + accessKeySecret, date);
  const kRegion = hmacSha256(kDate, region);
  const kService = hmacSha256(kRegion, product);
  return hmacSha256(kService, v4ScopeTerminator);
}
