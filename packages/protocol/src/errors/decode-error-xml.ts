// Reads an OSS error document (oss-protocol §10.1) without an XML library, so it runs in browsers.
// Tolerant of layout (declaration, whitespace, comments, CDATA, attributes, unknown children) but it
// refuses any document with a DOCTYPE: entity declarations are how XML bombs and XXE work (threats
// §B10), and OSS never sends one. The scan is linear in the input length.

export interface DecodedErrorXml {
  readonly code: string;
  readonly message: string;
  readonly requestId: string;
  readonly hostId: string;
  readonly ec: string | undefined;
  /** Every child element of <Error> by name (first occurrence wins), including Code/Message/…. */
  readonly fields: Readonly<Record<string, string>>;
}

const predefinedEntity: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

function decodeCharRef(ref: string): string | undefined {
  const hex = /^#x([0-9A-Fa-f]{1,6})$/.exec(ref);
  const dec = /^#([0-9]{1,7})$/.exec(ref);
  const codePoint = hex?.[1] ? parseInt(hex[1], 16) : dec?.[1] ? parseInt(dec[1], 10) : undefined;
  if (codePoint === undefined || codePoint > 0x10ffff) return undefined;
  return String.fromCodePoint(codePoint);
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z]+);/g, (whole, ref: string) => {
    return predefinedEntity[ref] ?? decodeCharRef(ref) ?? whole;
  });
}

/** Text content of an element: CDATA kept verbatim, nested tags dropped, entities decoded. */
function decodeContent(raw: string): string {
  let out = '';
  let pos = 0;
  while (pos < raw.length) {
    const cdata = raw.indexOf('<![CDATA[', pos);
    const end = cdata === -1 ? -1 : raw.indexOf(']]>', cdata + 9);
    if (cdata === -1 || end === -1) {
      out += decodeEntities(raw.slice(pos).replace(/<[^<>]*>/g, ''));
      break;
    }
    out += decodeEntities(raw.slice(pos, cdata).replace(/<[^<>]*>/g, '')) + raw.slice(cdata + 9, end);
    pos = end + 3;
  }
  return out;
}

/** Index just after the `<Error>` start tag, or -1. */
function findErrorStart(xml: string): number {
  const match = /<Error(?:\s[^<>]*)?>/.exec(xml);
  return match ? match.index + match[0].length : -1;
}

interface Child {
  readonly name: string;
  readonly value: string;
  readonly next: number;
}

/** Reads the child element starting at `lt` (which points at `<`); undefined if malformed. */
function readChild(xml: string, lt: number): Child | undefined {
  const head = /^<([A-Za-z_][\w.-]*)(\s[^<>]*?)?(\/?)>/.exec(xml.slice(lt, lt + 512));
  if (!head?.[1]) return undefined;
  const name = head[1];
  const contentStart = lt + head[0].length;
  if (head[3] === '/') return { name, value: '', next: contentStart };
  const close = xml.indexOf(`</${name}`, contentStart);
  if (close === -1) return undefined;
  const closeEnd = xml.indexOf('>', close);
  if (closeEnd === -1) return undefined;
  return { name, value: decodeContent(xml.slice(contentStart, close)), next: closeEnd + 1 };
}

function readChildren(xml: string, start: number): Record<string, string> {
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  let pos = start;
  for (;;) {
    const lt = xml.indexOf('<', pos);
    if (lt === -1 || xml.startsWith('</', lt)) break;
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      if (end === -1) break;
      pos = end + 3;
      continue;
    }
    const child = readChild(xml, lt);
    if (!child) break;
    if (!(child.name in fields)) fields[child.name] = child.value;
    pos = child.next;
  }
  return fields;
}

export function decodeErrorXml(xml: string): DecodedErrorXml | undefined {
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) return undefined;
  const start = findErrorStart(xml);
  if (start === -1) return undefined;
  const fields = readChildren(xml, start);
  const code = fields['Code'];
  if (code === undefined || code === '') return undefined;
  return {
    code,
    message: fields['Message'] ?? '',
    requestId: fields['RequestId'] ?? '',
    hostId: fields['HostId'] ?? '',
    ec: fields['EC'],
    fields,
  };
}
