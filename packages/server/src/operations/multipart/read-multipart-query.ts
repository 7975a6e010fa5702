// Query parameters of the multipart operations (uploadId, partNumber, encoding-type, list markers and
// limits). The first occurrence of a repeated parameter wins, as OSS documents for presigned URLs (§6.2).
// Parsers: each throws OssError InvalidArgument naming the parameter.
import { buildInvalidArgument, readQueryParam } from '../read-query.js';
import type { RequestContext } from '../../http/request-context.js';
import { maxPartNumber, minPartNumber } from '../../store/multipart-store.js';

type Query = RequestContext['query'];

export { buildInvalidArgument, readQueryParam } from '../read-query.js';

/**
 * `uploadId`: the store only compares it (never a path, threats §B7), so any non-empty value is looked
 * up; an unknown one is NoSuchUpload. Empty or missing is InvalidArgument.
 */
export function readUploadId(query: Query): string {
  const uploadId = readQueryParam(query, 'uploadId') ?? '';
  if (uploadId === '') throw buildInvalidArgument('uploadId', uploadId, 'The uploadId must not be empty.');
  return uploadId;
}

/** A decimal integer within [min, max]; no sign, no leading `+`, at most 9 digits (no float surprises). */
export function parseBoundedInteger(text: string, name: string, min: number, max: number): number {
  const value = /^[0-9]{1,9}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw buildInvalidArgument(name, text, `${name} must be an integer between ${min} and ${max}.`);
  }
  return value;
}

/** UploadPart `partNumber`: 1…10000 (OSS UploadPart), else InvalidArgument before a byte is read. */
export function readPartNumber(query: Query): number {
  const text = readQueryParam(query, 'partNumber') ?? '';
  return parseBoundedInteger(text, 'partNumber', minPartNumber, maxPartNumber);
}

/** An optional bounded integer such as `max-parts`; `fallback` when absent. */
export function readOptionalInteger(
  query: Query,
  name: string,
  range: { min: number; max: number; fallback: number },
): number {
  const text = readQueryParam(query, name);
  return text === undefined ? range.fallback : parseBoundedInteger(text, name, range.min, range.max);
}

/** `encoding-type=url` ⇒ keys (and key-like echoes) are URL-encoded in the XML; only `url` exists. */
export function readUrlEncoding(query: Query): boolean {
  const value = readQueryParam(query, 'encoding-type');
  if (value === undefined || value === '') return false;
  if (value !== 'url') throw buildInvalidArgument('encoding-type', value);
  return true;
}
