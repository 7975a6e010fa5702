// Request-body XML (DeleteMultipleObjects, PutBucketCors, CompleteMultipartUpload) parsed defensively
// (threats §C8.68): a DOCTYPE or entity declaration is refused outright as MalformedXML — no DTD is ever
// processed, so external entities and "billion laughs" cannot happen — and entity processing in the
// parser is off; only XML's five predefined entities and character references are decoded, here.
// The result is a small element tree: text plus child elements by name, in document order.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { OssError } from '@upcall/protocol';

export interface XmlElement {
  readonly name: string;
  /** Decoded character data directly inside the element (whitespace between children included). */
  readonly text: string;
  readonly children: ReadonlyArray<XmlElement>;
}

const textKey = '#text';
const cdataKey = '#cdata';
const declarationPattern = /<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i;
const predefined: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const referencePattern = /&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z]+);|&/g;

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  trimValues: false,
  cdataPropName: cdataKey,
  commentPropName: false,
  isArray: () => true,
});

export function malformedXml(message?: string, ec?: string): OssError {
  return new OssError('MalformedXML', {
    ...(message === undefined ? {} : { message }),
    ...(ec === undefined ? {} : { ec }),
  });
}

/** XML 1.0 Char production: TAB, LF, CR and U+0020 upward, minus surrogates and U+FFFE/FFFF. */
function isXmlChar(code: number): boolean {
  if (code === 0x9 || code === 0xa || code === 0xd) return true;
  if (code < 0x20 || (code >= 0xd800 && code <= 0xdfff)) return false;
  return code !== 0xfffe && code !== 0xffff && code <= 0x10ffff;
}

/** Decodes the predefined entities and character references; anything else is MalformedXML. */
export function decodeXmlText(raw: string): string {
  return raw.replace(referencePattern, (whole, body: string | undefined) => {
    if (body === undefined) throw malformedXml('A bare & is not allowed in XML text.');
    if (!body.startsWith('#')) {
      const named = predefined[body];
      if (named === undefined) throw malformedXml(`Undefined entity &${body};.`);
      return named;
    }
    const code = body.startsWith('#x') ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    if (!isXmlChar(code)) throw malformedXml(`The character reference ${whole} is not allowed.`);
    return String.fromCodePoint(code);
  });
}

function toElement(name: string, node: unknown): XmlElement {
  if (typeof node === 'string') return { name, text: decodeXmlText(node), children: [] };
  if (typeof node !== 'object' || node === null) throw malformedXml();
  let text = '';
  const children: XmlElement[] = [];
  for (const [childName, values] of Object.entries(node)) {
    const list = Array.isArray(values) ? (values as unknown[]) : [values];
    for (const value of list) {
      if (childName === textKey) text += decodeXmlText(String(value));
      else if (childName === cdataKey) text += String(value);
      else children.push(toElement(childName, value));
    }
  }
  return { name, text, children };
}

/**
 * Parses `xml` whose root element must be `rootName`. Throws MalformedXML for a DTD, a document that is
 * not well-formed, several roots or another root. Mixed text and CDATA in one element keeps no order
 * (none of the request documents mixes them).
 */
export function parseXmlDocument(xml: string, rootName: string): XmlElement {
  if (declarationPattern.test(xml)) throw malformedXml('DTDs and entity declarations are not allowed.');
  if (XMLValidator.validate(xml) !== true) throw malformedXml();
  const parsed = parser.parse(xml) as Record<string, unknown>;
  const roots = Object.entries(parsed).filter(([name]) => name !== textKey);
  const [root] = roots;
  if (roots.length !== 1 || root === undefined || root[0] !== rootName) throw malformedXml();
  const values = root[1] as unknown[];
  if (values.length !== 1) throw malformedXml();
  return toElement(rootName, values[0]);
}

/** Child elements named `name`. */
export function findChildren(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

/** The text of the only child named `name`; undefined when absent; MalformedXML when repeated. */
export function readChildText(element: XmlElement, name: string): string | undefined {
  const found = findChildren(element, name);
  if (found.length > 1) throw malformedXml(`The element ${name} appears more than once.`);
  return found[0]?.text;
}
