// Body framing of single-request uploads (PutObject, UploadPart). Decided (oss-protocol is silent; OSS
// accepts both and ali-oss `putStream` without a length sends chunked): a `Content-Length` or
// `Transfer-Encoding: chunked` body is accepted; neither is 411 MissingContentLength (an HTTP/1.1
// request without either has no body, which is almost always a client bug). A declared length over the
// limit is EntityTooLarge before a byte is read; a chunked body is cut at the limit as it flows.
import type { IncomingHttpHeaders } from 'node:http';
import { OssError, errorConditions } from '@upcall/protocol';
import { objectHeaderNames as h } from './object-header-names.js';
import { readHeader } from './read-object-meta-headers.js';

/** The declared length, or undefined for a chunked body. Throws MissingContentLength / EntityTooLarge. */
export function checkUploadLength(headers: IncomingHttpHeaders, maxBytes: number): number | undefined {
  const declared = readHeader(headers, h.contentLength);
  if (declared === undefined) {
    const chunked = readHeader(headers, h.transferEncoding)?.toLowerCase().includes('chunked') === true;
    if (!chunked) throw new OssError('MissingContentLength');
    return undefined;
  }
  // Node's strict parser has already refused a malformed Content-Length (400 before we run).
  const bytes = Number(declared);
  if (bytes > maxBytes) throw new OssError('EntityTooLarge', { ec: errorConditions.entityTooLarge });
  return bytes;
}
