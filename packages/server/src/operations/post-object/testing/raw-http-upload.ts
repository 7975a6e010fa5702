// Test helper: a hand-driven HTTP/1.1 upload over a raw TCP socket, for what node:http's client hides:
// noticing a response while the body is still being sent, stalling mid-body, or resetting the connection.
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { buildFormParts, buildMultipartBody } from './build-multipart-body.js';

export interface RawUploadInput {
  readonly port: number;
  readonly bucket: string;
  readonly contentType: string;
  /** Declared Content-Length (may differ from what is sent). */
  readonly contentLength: number;
  /** Body chunks, sent in order with back-pressure. */
  readonly chunks: Iterable<Buffer>;
}

export interface RawUploadResult {
  /** Response bytes as text (head and body). */
  readonly response: string;
  readonly bytesSent: number;
  /** Whether every chunk was written before the response arrived. */
  readonly sentEverything: boolean;
  /** Whether the server closed the connection on its own after answering. */
  readonly closedByServer: boolean;
}

export function openUpload(input: Omit<RawUploadInput, 'chunks'>): Promise<Socket> {
  const socket = connect(input.port, '127.0.0.1');
  socket.write(
    `POST /${input.bucket} HTTP/1.1\r\nHost: 127.0.0.1:${input.port}\r\nContent-Type: ${input.contentType}\r\n` +
      `Content-Length: ${input.contentLength}\r\n\r\n`,
  );
  return once(socket, 'connect').then(() => socket);
}

/** Sends the body until done or until the server answers; then waits (≤ 3 s) for the server to close. */
export async function sendRawUpload(input: RawUploadInput): Promise<RawUploadResult> {
  const socket = await openUpload(input);
  const received: Buffer[] = [];
  let closed = false;
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  socket.on('error', () => undefined); // EPIPE/ECONNRESET once the server has hung up: expected
  const closedPromise = new Promise<void>((resolve) =>
    socket.once('close', () => {
      closed = true;
      resolve();
    }),
  );
  let bytesSent = 0;
  let sentEverything = true;
  for (const chunk of input.chunks) {
    if (received.length > 0 || closed) {
      sentEverything = false;
      break;
    }
    bytesSent += chunk.length;
    if (!socket.write(chunk)) {
      // events.once would reject on the EPIPE that follows the server hanging up; that is no error here.
      await new Promise((resolve) => {
        socket.once('drain', resolve);
        socket.once('close', resolve);
      });
    }
  }
  let destroyedByUs = false;
  const timer = setTimeout(() => {
    destroyedByUs = true;
    socket.destroy();
  }, 3000);
  await closedPromise;
  clearTimeout(timer);
  const closedByServer = !destroyedByUs;
  return { response: Buffer.concat(received).toString('latin1'), bytesSent, sentEverything, closedByServer };
}

/** Status code of a raw HTTP response text, or 0. */
export function readRawStatus(response: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
}

/** `count` times the same chunk (no copies). */
export function* repeatChunks(chunk: Buffer, count: number): Generator<Buffer> {
  for (let i = 0; i < count; i += 1) yield chunk;
}

/** A form whose file part is `fileBytes` long, split as head (fields + file part header), body, tail. */
export function splitForm(
  fields: ReadonlyArray<readonly [string, string]>,
  fileBytes: number,
): { head: Buffer; tail: Buffer; total: number; contentType: string } {
  const marker = Buffer.from('@@FILE@@');
  const { body, contentType } = buildMultipartBody(buildFormParts(fields, { content: marker }));
  const at = body.indexOf(marker);
  const head = body.subarray(0, at);
  const tail = body.subarray(at + marker.length);
  return { head, tail, total: head.length + fileBytes + tail.length, contentType };
}
