// Response headers of GetObject / HeadObject (oss-protocol §11): the stored entity headers, user metadata,
// ETag, Last-Modified, x-oss-hash-crc64ecma, Content-MD5 (whole object only: it describes the full
// content, not a range), object type and storage class, and `nosniff` so a stored file is never
// content-sniffed into something the uploader did not declare (threats §B10).
import type { ServerResponse } from 'node:http';
import type { ObjectMeta } from '../store/object-store.js';
import type { ByteRange } from './parse-range-header.js';
import { applyActiveContentDisposition, type ActiveContentDisposition } from './active-content.js';

/** Entity headers an uploader may store and GET returns as stored. */
const storedHeaderNames = ['Cache-Control', 'Content-Disposition', 'Content-Encoding', 'Expires'] as const;

/** GetObject `response-*` query overrides (OSS GetObject), honoured for signed requests only. */
export const responseOverrideParams: ReadonlyMap<string, string> = new Map([
  ['response-content-type', 'Content-Type'],
  ['response-content-language', 'Content-Language'],
  ['response-expires', 'Expires'],
  ['response-cache-control', 'Cache-Control'],
  ['response-content-disposition', 'Content-Disposition'],
  ['response-content-encoding', 'Content-Encoding'],
]);

const tokenPattern = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
/** Control characters other than TAB cannot appear in a header value (RFC 9110 §5.5). */
function containsControl(value: string): boolean {
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return true;
  }
  return false;
}

/**
 * Header field values travel as bytes; metadata is stored as text. UTF-8 text is sent as its UTF-8 bytes
 * (what OSS does with non-ASCII metadata); values holding control characters are not sent at all.
 */
function setTextHeader(res: ServerResponse, name: string, value: string): void {
  if (containsControl(value)) return;
  res.setHeader(name, Buffer.from(value, 'utf8').toString('latin1'));
}

function findStoredHeader(meta: ObjectMeta, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [stored, value] of Object.entries(meta.headers)) {
    if (stored.toLowerCase() === lower) return value;
  }
  return undefined;
}

/** Everything but the length headers; shared by 200, 206 and 304 responses. */
export function setValidatorHeaders(res: ServerResponse, meta: ObjectMeta): void {
  res.setHeader('ETag', meta.etag);
  res.setHeader('Last-Modified', new Date(meta.lastModifiedMs).toUTCString());
}

/**
 * `activeContent`: what an active Content-Type gets (active-content.ts, threats §C2 item 26); the
 * server passes its --active-content-disposition, default `attachment`.
 */
export function setObjectHeaders(
  res: ServerResponse,
  meta: ObjectMeta,
  range: ByteRange | undefined,
  overrides: ReadonlyArray<readonly [string, string]> = [],
  activeContent: ActiveContentDisposition = 'attachment',
): void {
  setTextHeader(res, 'Content-Type', meta.contentType === '' ? 'application/octet-stream' : meta.contentType);
  for (const name of storedHeaderNames) {
    const value = findStoredHeader(meta, name);
    if (value !== undefined) setTextHeader(res, name, value);
  }
  for (const [name, value] of Object.entries(meta.userMeta)) {
    if (tokenPattern.test(name)) setTextHeader(res, `x-oss-meta-${name}`, value);
  }
  setValidatorHeaders(res, meta);
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('x-oss-object-type', 'Normal');
  res.setHeader('x-oss-storage-class', meta.storageClass === '' ? 'Standard' : meta.storageClass);
  res.setHeader('x-oss-hash-crc64ecma', meta.crc64);
  if (range === undefined) {
    res.setHeader('Content-Length', String(meta.size));
    if (meta.contentMd5 !== '') res.setHeader('Content-MD5', meta.contentMd5);
  } else {
    res.setHeader('Content-Length', String(range.end - range.start + 1));
    res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${meta.size}`);
  }
  res.setHeader('X-Content-Type-Options', 'nosniff');
  for (const [name, value] of overrides) setTextHeader(res, name, value);
  const dispositionChosen = overrides.some(([name]) => name === 'Content-Disposition');
  applyActiveContentDisposition(res, activeContent, dispositionChosen);
}

/** The `response-*` overrides present in the query, as [header name, value]. */
export function readResponseOverrides(
  query: ReadonlyArray<readonly [string, string]>,
): Array<readonly [string, string]> {
  const out: Array<readonly [string, string]> = [];
  for (const [param, value] of query) {
    const header = responseOverrideParams.get(param);
    if (header !== undefined && value !== '') out.push([header, value]);
  }
  return out;
}
