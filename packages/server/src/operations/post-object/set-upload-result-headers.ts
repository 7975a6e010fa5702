// Headers every PostObject outcome carries once the object is stored — 204/200/201/303, the relayed
// callback reply and the 203 CallbackFailed alike (oss-protocol §3.8, §9.6, §11).
import type { ServerResponse } from 'node:http';
import type { UploadDigest } from '@upcall/protocol';

export function setUploadResultHeaders(
  res: ServerResponse,
  digest: UploadDigest,
  requestId: string,
  serverTimeMs: number,
): void {
  res.setHeader('ETag', digest.etag);
  res.setHeader('x-oss-hash-crc64ecma', digest.crc64);
  res.setHeader('Content-MD5', digest.contentMd5);
  res.setHeader('x-oss-request-id', requestId);
  // INFERRED meaning: server processing time in ms (§11).
  res.setHeader('x-oss-server-time', String(Math.max(0, Math.round(serverTimeMs))));
}
