// The XML documents of ListParts and ListMultipartUploads (OSS API reference; S3 shapes, which ali-oss
// parses). Keys and key-like echoes (prefix, delimiter, markers) are URL-encoded under encoding-type=url.
import type { MultipartUploadInfo, PartInfo } from '../../store/multipart-store.js';
import { echoKey, element, xmlDeclaration } from './build-multipart-xml.js';

function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

export interface PartListing {
  readonly bucket: string;
  readonly key: string;
  readonly uploadId: string;
  readonly partNumberMarker: number;
  readonly maxParts: number;
  readonly parts: readonly PartInfo[];
  readonly isTruncated: boolean;
  readonly urlEncoded: boolean;
}

function buildPart(part: PartInfo): string {
  return (
    '<Part>' +
    element('PartNumber', String(part.partNumber)) +
    element('LastModified', isoTime(part.lastModifiedMs)) +
    element('ETag', part.etag) +
    element('HashCrc64ecma', part.crc64) +
    element('Size', String(part.size)) +
    '</Part>'
  );
}

export function buildListPartsXml(listing: PartListing): string {
  const next = listing.parts.at(-1)?.partNumber ?? listing.partNumberMarker;
  return (
    `${xmlDeclaration}<ListPartsResult>` +
    element('Bucket', listing.bucket) +
    (listing.urlEncoded ? element('EncodingType', 'url') : '') +
    element('Key', echoKey(listing.key, listing.urlEncoded)) +
    element('UploadId', listing.uploadId) +
    element('PartNumberMarker', String(listing.partNumberMarker)) +
    element('NextPartNumberMarker', String(next)) +
    element('MaxParts', String(listing.maxParts)) +
    element('IsTruncated', String(listing.isTruncated)) +
    listing.parts.map(buildPart).join('') +
    '</ListPartsResult>\n'
  );
}

export type UploadListEntry = { readonly upload: MultipartUploadInfo } | { readonly commonPrefix: string };

export interface UploadListQuery {
  readonly prefix: string;
  readonly delimiter: string;
  readonly keyMarker: string;
  readonly uploadIdMarker: string;
  readonly maxUploads: number;
  readonly urlEncoded: boolean;
}

function buildUpload(upload: MultipartUploadInfo, urlEncoded: boolean): string {
  return (
    '<Upload>' +
    element('Key', echoKey(upload.key, urlEncoded)) +
    element('UploadId', upload.uploadId) +
    element('StorageClass', upload.meta.storageClass || 'Standard') +
    element('Initiated', isoTime(upload.initiatedMs)) +
    '</Upload>'
  );
}

/** Where the next page starts: the last upload, or the last common prefix (with an empty upload id). */
function nextMarkers(entries: readonly UploadListEntry[]): [string, string] {
  const last = entries.at(-1);
  if (last === undefined) return ['', ''];
  return 'upload' in last ? [last.upload.key, last.upload.uploadId] : [last.commonPrefix, ''];
}

export function buildListUploadsXml(
  bucket: string,
  q: UploadListQuery,
  listing: { entries: readonly UploadListEntry[]; isTruncated: boolean },
): string {
  const echo = (text: string): string => echoKey(text, q.urlEncoded);
  const [nextKeyMarker, nextUploadIdMarker] = nextMarkers(listing.entries);
  let xml = `${xmlDeclaration}<ListMultipartUploadsResult>` + element('Bucket', bucket);
  if (q.urlEncoded) xml += element('EncodingType', 'url');
  xml += element('KeyMarker', echo(q.keyMarker)) + element('UploadIdMarker', q.uploadIdMarker);
  xml += element('NextKeyMarker', echo(nextKeyMarker)) + element('NextUploadIdMarker', nextUploadIdMarker);
  xml += element('Delimiter', echo(q.delimiter)) + element('Prefix', echo(q.prefix));
  xml += element('MaxUploads', String(q.maxUploads)) + element('IsTruncated', String(listing.isTruncated));
  for (const entry of listing.entries) {
    xml +=
      'upload' in entry
        ? buildUpload(entry.upload, q.urlEncoded)
        : `<CommonPrefixes>${element('Prefix', echo(entry.commonPrefix))}</CommonPrefixes>`;
  }
  return `${xml}</ListMultipartUploadsResult>\n`;
}
