// Alibaba Cloud RPC signature V1.0 for STS requests (the algorithm of ali-oss lib/sts.js `_getSignature`):
// StringToSign = METHOD & percentEncode("/") & percentEncode(sorted canonical query), HMAC-SHA1 keyed
// with `AccessKeySecret&`, Base64. The storage server verifies the same bytes (server sts/rpc-signature.ts;
// app-kit and server may not import each other, architecture §1).
import { createHmac } from 'node:crypto';

/** encodeURIComponent plus `!'()*`, so only RFC 3986 unreserved characters stay literal. */
export function percentEncodeRpc(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function buildStsStringToSign(method: string, params: ReadonlyMap<string, string>): string {
  const canonical = [...params.keys()]
    .filter((name) => name !== 'Signature')
    .sort()
    .map((name) => `${percentEncodeRpc(name)}=${percentEncodeRpc(params.get(name) ?? '')}`)
    .join('&');
  return `${method.toUpperCase()}&${percentEncodeRpc('/')}&${percentEncodeRpc(canonical)}`;
}

export function signStsRequest(method: string, params: ReadonlyMap<string, string>, secret: string): string {
  return createHmac('sha1', `${secret}&`)
    .update(buildStsStringToSign(method, params), 'utf8')
    .digest('base64');
}
