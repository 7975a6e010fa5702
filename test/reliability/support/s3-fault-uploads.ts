// Uploads for the S3-backend fault suite: a signed PutObject (V1 header auth, oss-protocol §6.1) or a
// V1-policy PostObject, each asking for an upload callback (§9) to the test's receiver, sent over a raw
// socket that stops sending as soon as Upcall answers — a gateway that fails mid-body answers before the
// client is done, and node:http's client would turn that into EPIPE instead of showing the answer.
import { signRequestV1Header } from '@upcall/protocol';
import type { Socket } from 'node:net';
import {
  buildFormParts,
  buildMultipartBody,
} from '../../../packages/server/src/operations/post-object/testing/build-multipart-body.js';
import { signPolicyFields } from '../../../packages/server/src/operations/post-object/testing/post-form-client.js';
import type { OssTarget } from './oss-requests.js';
import { openSocket, parseResponse } from './raw-upload.js';

export interface FaultUpload {
  readonly kind: 'put' | 'post';
  readonly key: string;
  readonly body: Buffer;
  /** Where Upcall must POST the callback once the object is stored. */
  readonly callbackUrl: string;
}

export interface FaultUploadOutcome {
  readonly status: number;
  readonly code: string | undefined;
  readonly response: string;
  readonly elapsedMs: number;
}

function callbackParam(callbackUrl: string): string {
  const config = { callbackUrl, callbackBody: 'bucket=${bucket}&object=${object}&etag=${etag}' };
  return Buffer.from(JSON.stringify(config), 'utf8').toString('base64');
}

function frameUpload(target: OssTarget, upload: FaultUpload): Buffer[] {
  const host = `Host: 127.0.0.1:${target.port}`;
  if (upload.kind === 'put') {
    const headers = signRequestV1Header({
      method: 'PUT',
      bucket: target.bucket,
      key: upload.key,
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(upload.body.length),
        'x-oss-callback': callbackParam(upload.callbackUrl),
      },
      accessKeyId: target.accessKeyId,
      secret: target.accessKeySecret,
      nowMs: Date.now(),
    }).headers as Record<string, string>;
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
    const head = `PUT /${target.bucket}/${encodeURIComponent(upload.key)} HTTP/1.1\r\n${host}\r\n${lines.join('\r\n')}\r\n\r\n`;
    return [Buffer.from(head), upload.body];
  }
  const auth = signPolicyFields({
    version: 'v1',
    accessKeyId: target.accessKeyId,
    secret: target.accessKeySecret,
    nowMs: Date.now(),
    conditions: [{ bucket: target.bucket }, ['eq', '$key', upload.key]],
  });
  const fields: Array<readonly [string, string]> = [
    ['key', upload.key],
    ...auth,
    ['success_action_status', '200'],
    ['callback', callbackParam(upload.callbackUrl)],
  ];
  const form = buildMultipartBody(
    buildFormParts(fields, { content: upload.body, contentType: 'application/octet-stream' }),
  );
  const head = `POST /${target.bucket} HTTP/1.1\r\n${host}\r\nContent-Type: ${form.contentType}\r\nContent-Length: ${form.body.length}\r\n\r\n`;
  return [Buffer.from(head), form.body];
}

function isComplete(bytes: Buffer): boolean {
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd === -1) return false;
  const length = /\r\ncontent-length: *(\d+)/i.exec(bytes.subarray(0, headEnd).toString('latin1'))?.[1];
  return bytes.length - headEnd - 4 >= Number(length ?? 0);
}

/** Writes `bytes` in 256 KiB pieces until done or answered (the answer ends the upload). */
async function writeUntilAnswered(socket: Socket, bytes: Buffer, answered: () => boolean): Promise<void> {
  for (let at = 0; at < bytes.length && !answered() && !socket.destroyed; at += 256 * 1024) {
    if (!socket.write(bytes.subarray(at, at + 256 * 1024))) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          socket.off('drain', done).off('close', done);
          resolve();
        };
        socket.on('drain', done).on('close', done);
      });
    }
  }
}

/**
 * Sends one upload and reads Upcall's whole answer. Rejects after `timeoutMs` without one: a hang is a
 * failure of its own (a gateway waiting on a dead backend for ever).
 */
export async function sendFaultUpload(
  target: OssTarget,
  upload: FaultUpload,
  timeoutMs = 30_000,
): Promise<FaultUploadOutcome> {
  const startedMs = Date.now();
  const socket = await openSocket(target.port);
  const received: Buffer[] = [];
  const answer = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const settle = (): void => {
      clearTimeout(timer);
      resolve(Buffer.concat(received).toString('latin1'));
    };
    socket.on('data', (data: Buffer) => {
      received.push(data);
      if (isComplete(Buffer.concat(received))) settle();
    });
    socket.on('close', settle);
  });
  for (const bytes of frameUpload(target, upload)) {
    await writeUntilAnswered(socket, bytes, () => received.length > 0);
  }
  try {
    const response = await answer;
    return { ...parseResponse(response), response, elapsedMs: Date.now() - startedMs };
  } finally {
    socket.destroy();
  }
}
