// The few multipart documents app-kit reads and writes (OSS API reference; S3 shapes): the upload id of
// InitiateMultipartUploadResult, the parts of ListPartsResult, and the CompleteMultipartUpload request.
// Storage is the application's own trusted endpoint, so a small element reader is enough; any document
// with a DOCTYPE is refused all the same (threats §B10).
import { encodeXmlText } from '@upcall/protocol';

export interface ListedPart {
  readonly partNumber: number;
  /** Without quotes, as the browser reads it from the UploadPart response's ETag header. */
  readonly etag: string;
  readonly size: number;
}

export interface ListPartsPage {
  readonly parts: ListedPart[];
  readonly isTruncated: boolean;
  readonly nextPartNumberMarker: number;
}

export interface CompletePart {
  readonly partNumber: number;
  readonly etag: string;
}

const entities: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeText(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => entities[name] ?? '');
}

function checkDocument(xml: string, root: string): void {
  if (/<!DOCTYPE/i.test(xml)) throw new Error('Storage answered with a DOCTYPE; refused.');
  if (!xml.includes(`<${root}>`)) throw new Error(`Storage answered without <${root}>: ${xml.slice(0, 200)}`);
}

/** Text of every `<name>` element inside `xml`, in order. */
function readElements(xml: string, name: string): string[] {
  const pattern = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g');
  return [...xml.matchAll(pattern)].map((match) => decodeText(match[1] ?? ''));
}

function readElement(xml: string, name: string): string | undefined {
  return readElements(xml, name)[0];
}

/** ETags are quoted in XML and headers; app-kit compares them unquoted and case-insensitively. */
export function unquoteEtag(etag: string): string {
  return etag.trim().replace(/^"(.*)"$/, '$1');
}

export function parseInitiateUploadId(xml: string): string {
  checkDocument(xml, 'InitiateMultipartUploadResult');
  const uploadId = readElement(xml, 'UploadId');
  if (uploadId === undefined || uploadId === '')
    throw new Error('InitiateMultipartUploadResult has no UploadId.');
  return uploadId;
}

export function parseListPartsPage(xml: string): ListPartsPage {
  checkDocument(xml, 'ListPartsResult');
  const parts = readElements(xml, 'Part').map((part) => ({
    partNumber: Number(readElement(part, 'PartNumber')),
    etag: unquoteEtag(readElement(part, 'ETag') ?? ''),
    size: Number(readElement(part, 'Size')),
  }));
  for (const part of parts) {
    if (!Number.isSafeInteger(part.partNumber) || !Number.isSafeInteger(part.size))
      throw new Error('ListPartsResult has a part without a numeric PartNumber or Size.');
  }
  return {
    parts,
    isTruncated: readElement(xml, 'IsTruncated') === 'true',
    nextPartNumberMarker: Number(readElement(xml, 'NextPartNumberMarker') ?? '0'),
  };
}

/** The CompleteMultipartUpload body: parts in ascending order, ETags quoted as OSS lists them. */
export function buildCompleteXml(parts: readonly CompletePart[]): string {
  const items = parts
    .map(
      (part) =>
        `<Part><PartNumber>${part.partNumber}</PartNumber><ETag>${encodeXmlText(`"${part.etag}"`)}</ETag></Part>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUpload>${items}</CompleteMultipartUpload>`;
}
