// Parses a captured HTTP/1.x request (request line, headers, blank line, body) as people paste it from
// tcpdump, a proxy log or OSS's documentation: `\r\n` or `\n` line endings, lower- or mixed-case names.
// The body is taken byte for byte; when Content-Length is present and the text has extra bytes (an
// editor's trailing newline), the body is cut to Content-Length and a note says so.

export interface CapturedRequest {
  readonly method: string;
  readonly target: string;
  readonly httpVersion: string;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly notes: readonly string[];
}

export class CapturedRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CapturedRequestError';
  }
}

/** Index of the blank line ending the head, and how long that separator is. */
function findHeadEnd(bytes: Buffer): { end: number; separator: number } {
  const crlf = bytes.indexOf('\r\n\r\n');
  const lf = bytes.indexOf('\n\n');
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return { end: crlf, separator: 4 };
  if (lf !== -1) return { end: lf, separator: 2 };
  return { end: bytes.length, separator: 0 };
}

function parseHeaders(lines: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new CapturedRequestError(`Not a header line: ${JSON.stringify(line)}`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return headers;
}

function fitBody(raw: Buffer, contentLength: string | undefined, notes: string[]): Buffer {
  if (contentLength === undefined) return raw;
  const declared = Number(contentLength);
  if (!Number.isSafeInteger(declared) || declared < 0)
    throw new CapturedRequestError(`Bad Content-Length: ${contentLength}`);
  if (raw.length > declared) {
    notes.push(
      `body cut to Content-Length ${declared} (the capture has ${raw.length - declared} extra byte(s))`,
    );
    return raw.subarray(0, declared);
  }
  if (raw.length < declared)
    notes.push(`body is ${raw.length} bytes but Content-Length says ${declared} (truncated capture?)`);
  return raw;
}

export function parseCapturedRequest(capture: string | Uint8Array): CapturedRequest {
  const bytes = typeof capture === 'string' ? Buffer.from(capture, 'utf8') : Buffer.from(capture);
  const { end, separator } = findHeadEnd(bytes);
  const head = bytes.subarray(0, end).toString('utf8');
  const lines = head.split(/\r?\n/);
  while (lines[0] === '') lines.shift(); // tolerate leading blank lines from copy and paste
  const requestLine = lines.shift() ?? '';
  // Lenient target (anything up to the version) so a mangled capture such as the documentation's
  // `/index.php? id=1` is still verified — and fails visibly — instead of being unparseable.
  const match = /^([A-Z]+) (.+?)(?: (HTTP\/\d(?:\.\d)?))?$/.exec(requestLine.trim());
  if (match === null)
    throw new CapturedRequestError(`Not an HTTP request line: ${JSON.stringify(requestLine)}`);
  const headers = parseHeaders(lines.filter((line) => line.trim() !== ''));
  const notes: string[] = [];
  const body = fitBody(
    separator === 0 ? Buffer.alloc(0) : bytes.subarray(end + separator),
    headers['content-length'],
    notes,
  );
  return {
    method: match[1] ?? '',
    target: match[2] ?? '',
    httpVersion: match[3] ?? 'HTTP/1.1',
    headers,
    body,
    notes,
  };
}
