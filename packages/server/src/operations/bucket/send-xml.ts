// The success response of the bucket operations: an XML document, `application/xml`, `nosniff`
// (threats §B10) and an exact Content-Length; and `<Name>value</Name>` with the value XML-escaped.
import type { ServerResponse } from 'node:http';
import { encodeXmlText } from '@upcall/protocol';

export const xmlDeclaration = '<?xml version="1.0" encoding="UTF-8"?>\n';

export function xmlElement(name: string, value: string): string {
  return `<${name}>${encodeXmlText(value)}</${name}>`;
}

export function sendXml(res: ServerResponse, xml: string, status = 200): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/xml');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Length', Buffer.byteLength(xml));
  res.end(xml);
}

/** 200/204 without a body (PutBucketAcl, PutBucketCors, DeleteBucket, DeleteBucketCors). */
export function sendEmpty(res: ServerResponse, status: number): void {
  res.statusCode = status;
  if (status !== 204) res.setHeader('Content-Length', '0');
  res.end();
}
