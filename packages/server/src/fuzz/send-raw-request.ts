// Sends one fuzzed PostObject request over a raw TCP socket to 127.0.0.1 (node:http's client would refuse
// or repair malformed framing) and reads whatever comes back until the server closes the connection.
import { connect } from 'node:net';
import type { Framing } from './fuzz-form.js';

export interface RawRequestInput {
  readonly port: number;
  readonly path: string;
  readonly contentType: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
  readonly framing: Framing;
  /** The socket is destroyed after this long without the server closing it. */
  readonly timeoutMs: number;
}

export interface RawResponse {
  /** HTTP status, or undefined when the server closed without answering. */
  readonly status: number | undefined;
  /** The whole response, head and body, as latin1 text. */
  readonly text: string;
  readonly timedOut: boolean;
}

/** Chunked transfer coding (RFC 9112 §7.1) in a few uneven chunks. */
function encodeChunked(body: Buffer): Buffer {
  const chunks: Buffer[] = [];
  for (let offset = 0, size = 7; offset < body.length; offset += size, size = size * 3 + 1) {
    const chunk = body.subarray(offset, offset + size);
    chunks.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(chunks);
}

function buildRequestBytes(input: RawRequestInput): Buffer {
  const lines = [
    `POST ${input.path} HTTP/1.1`,
    `Host: 127.0.0.1:${input.port}`,
    `Content-Type: ${input.contentType}`,
    'Connection: close',
  ];
  if (input.framing === 'chunked') lines.push('Transfer-Encoding: chunked');
  else if (input.framing === 'short-then-fin') lines.push(`Content-Length: ${input.body.length + 1000}`);
  else lines.push(`Content-Length: ${input.body.length}`);
  for (const [name, value] of input.headers) lines.push(`${name}: ${value}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return Buffer.concat([head, input.framing === 'chunked' ? encodeChunked(input.body) : input.body]);
}

export function sendRawRequest(input: RawRequestInput): Promise<RawResponse> {
  return new Promise((resolve) => {
    const socket = connect(input.port, '127.0.0.1');
    const received: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, input.timeoutMs);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    // EPIPE / ECONNRESET once the server has answered early and hung up: part of the game, not an error.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(received).toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(text)?.[1];
      resolve({ status: status === undefined ? undefined : Number(status), text, timedOut });
    });
    // Only a short body is followed by our FIN: Node's server (httpAllowHalfOpen off) drops a request whose
    // client half-closes, so a complete request waits for the answer and the server's close instead.
    if (input.framing === 'short-then-fin') socket.end(buildRequestBytes(input));
    else socket.write(buildRequestBytes(input));
  });
}
