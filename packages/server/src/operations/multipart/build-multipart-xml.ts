// The XML documents of InitiateMultipartUpload and CompleteMultipartUpload (OSS API reference; S3 shapes).
// Every echoed string goes through the one XML text encoder (threats §B10); with `encoding-type=url` the
// key is URL-encoded first, so keys XML 1.0 cannot carry still round-trip.
import type { ServerResponse } from 'node:http';
import { encodeXmlText } from '@upcall/protocol';

export const xmlDeclaration = '<?xml version="1.0" encoding="UTF-8"?>\n';

export function element(name: string, value: string): string {
  return `<${name}>${encodeXmlText(value)}</${name}>`;
}

/** The key as OSS echoes it: URL-encoded (encodeURIComponent) under `encoding-type=url`, raw otherwise. */
export function echoKey(key: string, urlEncoded: boolean): string {
  return urlEncoded ? encodeURIComponent(key) : key;
}

export function buildInitiateResultXml(
  upload: { bucket: string; key: string; uploadId: string },
  urlEncoded: boolean,
): string {
  return (
    `${xmlDeclaration}<InitiateMultipartUploadResult>` +
    element('Bucket', upload.bucket) +
    element('Key', echoKey(upload.key, urlEncoded)) +
    element('UploadId', upload.uploadId) +
    (urlEncoded ? element('EncodingType', 'url') : '') +
    '</InitiateMultipartUploadResult>\n'
  );
}

/** Path-style object URL (works for IP endpoints, like PostObject's Location, §3.8). */
export function buildObjectUrl(publicEndpoint: string, bucket: string, key: string): string {
  const path = key.split('/').map(encodeURIComponent).join('/');
  return `${publicEndpoint.replace(/\/+$/, '')}/${encodeURIComponent(bucket)}/${path}`;
}

export interface CompleteResult {
  readonly bucket: string;
  readonly key: string;
  /** Quoted multipart ETag, `"<HEX>-<n>"`. */
  readonly etag: string;
  readonly publicEndpoint: string;
}

/** Element order as in OSS's documented example: EncodingType?, Location, Bucket, Key, ETag. */
export function buildCompleteResultXml(result: CompleteResult, urlEncoded: boolean): string {
  return (
    `${xmlDeclaration}<CompleteMultipartUploadResult>` +
    (urlEncoded ? element('EncodingType', 'url') : '') +
    element('Location', buildObjectUrl(result.publicEndpoint, result.bucket, result.key)) +
    element('Bucket', result.bucket) +
    element('Key', echoKey(result.key, urlEncoded)) +
    element('ETag', result.etag) +
    '</CompleteMultipartUploadResult>\n'
  );
}

/** 200 with an XML document (nosniff: the body echoes client-chosen text, threats §B10). */
export function sendXml(res: ServerResponse, xml: string): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/xml');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Length', Buffer.byteLength(xml));
  res.end(xml);
}
