// The CompleteMultipartUpload request body: `<CompleteMultipartUpload>` with one or more
// `<Part><PartNumber>n</PartNumber><ETag>etag</ETag></Part>`. The shared defensive parser refuses any
// DOCTYPE or entity declaration (threats §B10, CVE-2022-47950) and anything not well-formed; this adds the
// shape: MalformedXML unless every Part has exactly one decimal PartNumber and one non-empty ETag.
// Other elements inside a Part (checksums some SDKs add) are ignored. Order, existence and ETags are
// checked later against the stored parts (check-complete-parts.ts).
import type { ChosenPart } from '../../store/multipart-store.js';
import {
  findChildren,
  malformedXml,
  parseXmlDocument,
  readChildText,
  type XmlElement,
} from '../xml/parse-xml-document.js';

const rootName = 'CompleteMultipartUpload';

function readPart(part: XmlElement): ChosenPart {
  const number = readChildText(part, 'PartNumber')?.trim();
  if (number === undefined || !/^[0-9]{1,5}$/.test(number)) {
    throw malformedXml('Every Part needs one PartNumber, a decimal integer.');
  }
  const etag = readChildText(part, 'ETag')?.trim();
  if (etag === undefined || etag === '') throw malformedXml('Every Part needs one ETag.');
  return { partNumber: Number(number), etag };
}

/** Parses the request body text; throws OssError MalformedXML. */
export function parseCompleteXml(text: string): ChosenPart[] {
  const root = parseXmlDocument(text, rootName);
  const parts = findChildren(root, 'Part');
  if (parts.length === 0) throw malformedXml(`${rootName} needs at least one Part.`);
  return parts.map(readPart);
}
