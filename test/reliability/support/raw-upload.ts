// Uploads over a raw TCP socket, for what node:http's client hides: a body larger than the disk that
// the server answers before it is all sent, a body the client abandons half-way (socket destroyed),
// a request that never finishes its headers. Signed with V1 header auth (oss-protocol §6.1).
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { signRequestV1Header } from '@upcall/protocol';
import { buildPostForm, type OssTarget } from './oss-requests.js';

export interface RawOutcome {
  readonly status: number;
  /** The `<Code>` of an OSS error document in the response, if any. */
  readonly code: string | undefined;
  readonly response: string;
  readonly bytesSent: number;
  readonly elapsedMs: number;
}

/** The request head of a signed PutObject declaring `contentLength` bytes. */
export function buildPutHead(target: OssTarget, key: string, contentLength: number): string {
  const headers = signRequestV1Header({
    method: 'PUT',
    bucket: target.bucket,
    key,
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(contentLength) },
    accessKeyId: target.accessKeyId,
    secret: target.accessKeySecret,
    nowMs: Date.now(),
  }).headers as Record<string, string>;
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `PUT /${target.bucket}/${encodeURIComponent(key)} HTTP/1.1\r\nHost: 127.0.0.1:${target.port}\r\n${lines.join('\r\n')}\r\n\r\n`;
}

export function openSocket(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined); // resets after the server answered or hung up are expected here
  return once(socket, 'connect').then(() => socket);
}

/** Head (request head + everything before the file bytes) and tail of a streamed upload. */
export function frameUpload(
  target: OssTarget,
  kind: 'put' | 'post',
  key: string,
  fileBytes: number,
): { head: Buffer; tail: Buffer } {
  if (kind === 'put')
    return { head: Buffer.from(buildPutHead(target, key, fileBytes)), tail: Buffer.alloc(0) };
  const marker = Buffer.from('@@UPCALL-FILE@@');
  const form = buildPostForm(target, key, marker, 'v1');
  const at = form.body.indexOf(marker);
  const formHead = form.body.subarray(0, at);
  const tail = form.body.subarray(at + marker.length);
  const requestHead =
    `POST /${target.bucket} HTTP/1.1\r\nHost: 127.0.0.1:${target.port}\r\nContent-Type: ${form.contentType}\r\n` +
    `Content-Length: ${formHead.length + fileBytes + tail.length}\r\n\r\n`;
  return { head: Buffer.concat([Buffer.from(requestHead), formHead]), tail };
}

/**
 * Sends a signed PutObject or PostObject whose file is `fileBytes` long (repeating `chunk`), stopping
 * early once the server answers; resolves when the response is complete or the connection closes,
 * rejects after `timeoutMs` without an answer (a hang is a failure, threats §C7 item 63).
 */
export async function sendStreamingUpload(
  target: OssTarget,
  kind: 'put' | 'post',
  key: string,
  fileBytes: number,
  options: { chunk?: Buffer; timeoutMs?: number } = {},
): Promise<RawOutcome> {
  const startedMs = Date.now();
  const chunk = options.chunk ?? Buffer.alloc(1024 * 1024, 0x61);
  const { head, tail } = frameUpload(target, kind, key, fileBytes);
  const socket = await openSocket(target.port);
  const received: Buffer[] = [];
  let closed = false;
  socket.on('data', (data: Buffer) => received.push(data));
  const closedPromise = new Promise((resolve) => socket.once('close', resolve)).then(() => (closed = true));
  socket.write(head);
  let bytesSent = 0;
  while (bytesSent < fileBytes && received.length === 0 && !closed) {
    const piece = chunk.subarray(0, Math.min(chunk.length, fileBytes - bytesSent));
    bytesSent += piece.length;
    if (!socket.write(piece)) await drainOrClose(socket);
  }
  if (bytesSent === fileBytes && !closed) socket.write(tail);
  const response = await readResponse(socket, received, closedPromise, options.timeoutMs ?? 60_000);
  return { ...parseResponse(response), response, bytesSent, elapsedMs: Date.now() - startedMs };
}

/** Not events.once: it would reject on the EPIPE that follows the server answering and hanging up. */
export function drainOrClose(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

async function readResponse(
  socket: Socket,
  received: Buffer[],
  closedPromise: Promise<unknown>,
  timeoutMs: number,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!isComplete(Buffer.concat(received))) {
    if (socket.destroyed || Date.now() > deadline) break;
    await Promise.race([closedPromise, new Promise((resolve) => setTimeout(resolve, 20))]);
  }
  socket.destroy();
  if (!isComplete(Buffer.concat(received)) && Date.now() > deadline) {
    throw new Error(`no complete response within ${timeoutMs} ms`);
  }
  return Buffer.concat(received).toString('latin1');
}

function isComplete(bytes: Buffer): boolean {
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd === -1) return false;
  const length = /\r\ncontent-length: *(\d+)/i.exec(bytes.subarray(0, headEnd).toString('latin1'))?.[1];
  return bytes.length - headEnd - 4 >= Number(length ?? 0);
}

export function parseResponse(response: string): { status: number; code: string | undefined } {
  return {
    status: Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0),
    code: /<Code>([^<]*)<\/Code>/.exec(response)?.[1],
  };
}

/** Starts an upload (PutObject or PostObject) of `fileBytes`, sends `sentBytes` of the file, destroys the socket. */
export async function abandonUpload(
  target: OssTarget,
  kind: 'put' | 'post',
  key: string,
  fileBytes: number,
  sentBytes: number,
): Promise<void> {
  const { head } = frameUpload(target, kind, key, fileBytes);
  const socket = await openSocket(target.port);
  socket.write(head);
  socket.write(Buffer.alloc(sentBytes, 0x62));
  // Let the bytes reach the server and the upload start streaming before the client vanishes.
  await new Promise((resolve) => setTimeout(resolve, 5));
  socket.destroy();
}
