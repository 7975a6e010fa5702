// Alibaba Cloud RPC signature V1.0 (HMAC-SHA1), as STS expects it and as ali-oss lib/sts.js computes it:
// StringToSign = METHOD & percentEncode("/") & percentEncode(canonicalQuery), where canonicalQuery is
// every parameter except Signature, sorted by name, `percentEncode(name)=percentEncode(value)` joined by
// `&`; the HMAC key is `AccessKeySecret + "&"`; the signature is Base64. One implementation for both
// sides: app-kit signs AssumeRole requests with it and the storage server's local STS verifies them.
import { createHmac } from 'node:crypto';

/** RFC 3986 unreserved characters stay; everything else is %XX (ali-oss `_escape`). */
export function percentEncodeRpc(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function buildRpcStringToSign(method: string, params: ReadonlyMap<string, string>): string {
  const canonical = [...params.keys()]
    .filter((name) => name !== 'Signature')
    .sort()
    .map((name) => `${percentEncodeRpc(name)}=${percentEncodeRpc(params.get(name) ?? '')}`)
    .join('&');
  return `${method.toUpperCase()}&${percentEncodeRpc('/')}&${percentEncodeRpc(canonical)}`;
}

export function signRpcRequest(method: string, params: ReadonlyMap<string, string>, secret: string): string {
  return createHmac('sha1', `${secret}&`)
    .update(buildRpcStringToSign(method, params), 'utf8')
    .digest('base64');
}
