// Encodes a FormData as a multipart/form-data body without reading file contents (oss-protocol §3.1):
// the framing and text fields become bytes now, each file part stays a Blob to be streamed later. A
// Blob from `fs.openAsBlob` is backed by the file on disk, so a 5 GiB upload never sits in memory, and
// because every Blob knows its size the Content-Length is exact before the first byte is sent (OSS
// wants the total body length; no chunked encoding, §3.1). Entry order is kept: the client puts the
// ticket's fields first and `file` last, and OSS ignores whatever follows the file part (§3.2).
import { randomBytes } from 'node:crypto';

export interface MultipartBody {
  /** `multipart/form-data; boundary=…` */
  readonly contentType: string;
  /** Exact byte length of the whole body. */
  readonly contentLength: number;
  /** In sending order: framing and text fields as bytes, file contents as Blobs. */
  readonly parts: ReadonlyArray<Uint8Array | Blob>;
}

const encoder = new TextEncoder();

/** Like a browser's (`----WebKitFormBoundary…`): 96 random bits cannot plausibly occur in a file. */
export function createMultipartBoundary(): string {
  return `----UpcallFormBoundary${randomBytes(12).toString('hex')}`;
}

// The HTML "multipart/form-data encoding algorithm", as browsers (and Node's FormData) apply it: line
// breaks normalised to CRLF, and CR, LF and `"` percent-escaped inside the quoted name/filename, so a
// field name can never break out of its Content-Disposition header.
function normalizeLineBreaks(text: string): string {
  return text.replace(/\r\n|\r|\n/g, '\r\n');
}

function escapeQuoted(text: string): string {
  return text.replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22');
}

function encodeFieldHead(boundary: string, name: string): string {
  return `--${boundary}\r\nContent-Disposition: form-data; name="${escapeQuoted(normalizeLineBreaks(name))}"`;
}

/** The file part's header; its Content-Type is the object's second-priority type (§3.6). */
function encodeFileHead(boundary: string, name: string, file: File): string {
  const filename = file.name === '' ? '' : `; filename="${escapeQuoted(file.name)}"`;
  const type = file.type === '' ? 'application/octet-stream' : file.type;
  return `${encodeFieldHead(boundary, name)}${filename}\r\nContent-Type: ${type}\r\n\r\n`;
}

/**
 * The body for `form` with `boundary`: ordered parts and their exact total length. Files are not read;
 * consecutive text is merged into one chunk so a form of many fields costs few writes.
 */
export function encodeMultipartForm(form: FormData, boundary: string): MultipartBody {
  const parts: Array<Uint8Array | Blob> = [];
  let text = '';
  for (const [name, value] of form) {
    if (typeof value === 'string') {
      text += `${encodeFieldHead(boundary, name)}\r\n\r\n${normalizeLineBreaks(value)}\r\n`;
      continue;
    }
    parts.push(encoder.encode(text + encodeFileHead(boundary, name, value)), value);
    text = '\r\n';
  }
  parts.push(encoder.encode(`${text}--${boundary}--\r\n`));
  const contentLength = parts.reduce(
    (sum, part) => sum + (part instanceof Uint8Array ? part.byteLength : part.size),
    0,
  );
  return { contentType: `multipart/form-data; boundary=${boundary}`, contentLength, parts };
}
