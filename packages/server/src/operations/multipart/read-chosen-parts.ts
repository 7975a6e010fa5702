// Which parts a CompleteMultipartUpload assembles: the XML list in the body, or — with OSS's
// `x-oss-complete-all: yes` — every uploaded part in part-number order, in which case the body must be
// empty (OSS EC 0042-00000216). The stored parts are read once, in pages, for both paths and the checks.
import type { IncomingMessage } from 'node:http';
import { OssError } from '@upcall/protocol';
import type { ChosenPart, MultipartStore, PartInfo } from '../../store/multipart-store.js';
import { readHeader } from '../upload/read-object-meta-headers.js';
import { malformedXml } from '../xml/parse-xml-document.js';
import { readXmlBody } from '../xml/read-xml-body.js';
import { parseCompleteXml } from './parse-complete-xml.js';

export const completeAllHeader = 'x-oss-complete-all';
/** OSS's error-condition page for a body sent with x-oss-complete-all: yes. */
export const completeAllWithBodyEc = '0042-00000216';

const listPageSize = 1000;

/**
 * 10 000 parts as SDKs write them take about 1 MB (ali-oss ≈ 95 bytes a part); 4 MiB leaves room for
 * indentation and extra per-part elements (P). Anything larger is refused before it is parsed.
 */
export const maxCompleteBodyBytes = 4 * 1024 * 1024;

export interface UploadRef {
  readonly bucket: string;
  readonly key: string;
  readonly uploadId: string;
}

/** Every stored part of the upload by number. Throws NoSuchUpload. */
export async function readStoredParts(
  store: MultipartStore,
  upload: UploadRef,
): Promise<Map<number, PartInfo>> {
  const parts = new Map<number, PartInfo>();
  let partNumberMarker = 0;
  for (;;) {
    const page = await store.listParts(upload.bucket, upload.key, upload.uploadId, {
      partNumberMarker,
      maxParts: listPageSize,
    });
    for (const part of page.parts) parts.set(part.partNumber, part);
    const last = page.parts.at(-1);
    if (!page.isTruncated || last === undefined) return parts;
    partNumberMarker = last.partNumber;
  }
}

function readCompleteAll(req: IncomingMessage): boolean {
  const value = readHeader(req.headers, completeAllHeader);
  if (value === undefined) return false;
  if (value === 'yes') return true;
  throw new OssError('InvalidArgument', {
    message: `The value of ${completeAllHeader} must be yes.`,
    extra: [
      ['ArgumentName', completeAllHeader],
      ['ArgumentValue', value],
    ],
  });
}

function listAllParts(stored: ReadonlyMap<number, PartInfo>): ChosenPart[] {
  const all = [...stored.values()].sort((a, b) => a.partNumber - b.partNumber);
  if (all.length === 0) throw malformedXml('The upload has no parts to complete.');
  return all.map(({ partNumber, etag }) => ({ partNumber, etag }));
}

/** Reads the body (capped) and returns the parts to assemble, in the order given. */
export async function readChosenParts(
  req: IncomingMessage,
  stored: ReadonlyMap<number, PartInfo>,
): Promise<ChosenPart[]> {
  const completeAll = readCompleteAll(req);
  const body = await readXmlBody(req, { maxBytes: maxCompleteBodyBytes });
  if (!completeAll) return parseCompleteXml(body);
  if (body !== '') {
    throw new OssError('InvalidArgument', {
      message: `A CompleteMultipartUpload with ${completeAllHeader}: yes must not have a body.`,
      ec: completeAllWithBodyEc,
      extra: [['ArgumentName', completeAllHeader]],
    });
  }
  return listAllParts(stored);
}
