// The uploads of the scale-out test, each as a real client would make it: a ticket from one of the demo
// app instances (POST /api/tickets: exact per-user key, callback to that instance, forbid-overwrite),
// then a PostObject form, an ali-oss multipartUpload through one gateway instance, or a multipart upload
// whose steps go to three different gateway instances, all with the ticket's callback.
import { createRequire } from 'node:module';
import type { UploadTicket } from '@upcall/app-kit';
import { patterned } from '../../../packages/server/src/store/contract/multipart-fixtures.js';
import { scaleOutContentType } from './demo-apps.js';

export type UploadKind = 'form' | 'multipart' | 'cross-instance';

export interface PlannedUpload {
  readonly index: number;
  readonly kind: UploadKind;
  readonly fileName: string;
  readonly body: Buffer;
}

export interface UploadOutcome {
  readonly upload: PlannedUpload;
  /** The object key the app's ticket chose. */
  readonly key: string;
  readonly recordId: string;
  /** HTTP status of the final step (200 stored + confirmed, 203 stored + callback failed), or the error. */
  readonly status: number | 'error';
  /** With 200: the app's JSON relayed by the gateway (oss-protocol §9.6). */
  readonly reply?: unknown;
  readonly instances: readonly number[];
}

export interface UploadTarget {
  /** Gateway instances. */
  readonly urls: readonly string[];
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** Demo app instances issuing the tickets (and receiving the callbacks), used in turn. */
  readonly appUrls: readonly string[];
}

interface AliOssClient {
  multipartUpload(
    name: string,
    file: Buffer,
    options: object,
  ): Promise<{ res: { status: number }; data?: unknown }>;
  initMultipartUpload(name: string, options?: object): Promise<{ uploadId: string }>;
  uploadPart(
    name: string,
    id: string,
    n: number,
    file: Buffer,
    start: number,
    end: number,
  ): Promise<{ etag: string }>;
  completeMultipartUpload(
    name: string,
    id: string,
    parts: object[],
    options: object,
  ): Promise<{ res: { status: number }; data?: unknown }>;
  get(name: string): Promise<{ content: Buffer }>;
  list(
    query: object,
    options?: object,
  ): Promise<{ objects?: Array<{ name: string; size: number; etag: string }> }>;
}

const require = createRequire(import.meta.url);
const kib = 1024;

export function createGatewayClient(
  url: string,
  target: Pick<UploadTarget, 'accessKeyId' | 'accessKeySecret'>,
) {
  const OSS = require('ali-oss') as new (options: object) => AliOssClient;
  return new OSS({
    region: 'oss-cn-hangzhou',
    endpoint: url,
    bucket: 'uploads',
    accessKeyId: target.accessKeyId,
    accessKeySecret: target.accessKeySecret,
    timeout: 20_000,
  });
}

export function planUploads(counts: Record<UploadKind, number>): PlannedUpload[] {
  const kinds = (Object.entries(counts) as Array<[UploadKind, number]>).flatMap(([kind, n]) =>
    Array<UploadKind>(n).fill(kind),
  );
  // Interleave the kinds so each instance sees all of them before and after the crash.
  const mixed = kinds
    .map((kind, i) => ({ kind, order: (i * 37) % kinds.length }))
    .sort((a, b) => a.order - b.order);
  return mixed.map(({ kind }, index) => {
    const size =
      kind === 'form'
        ? 1 * kib + ((index * 7919) % (400 * kib))
        : 700 * kib + ((index * 104_729) % (1600 * kib));
    return { index, kind, fileName: `${kind}-${index}.bin`, body: patterned(size, index) };
  });
}

/** The demo's stand-in for a signed-in user: five of them, 16+ characters as demo-user.ts requires. */
function demoUserCookie(index: number): string {
  return `demo_uid=scale-out-user-${index % 5}`;
}

/** A ticket from app instance `index mod n`, as the browser asks for one (same origin, user cookie). */
async function issueTicket(upload: PlannedUpload, target: UploadTarget): Promise<UploadTicket> {
  const appUrl = target.appUrls[upload.index % target.appUrls.length] ?? '';
  const response = await fetch(`${appUrl}/api/tickets`, {
    method: 'POST',
    headers: { cookie: demoUserCookie(upload.index), 'content-type': 'application/json' },
    body: JSON.stringify({ fileName: upload.fileName, size: upload.body.length }),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`ticket for ${upload.fileName}: ${response.status} ${text}`);
  return JSON.parse(text) as UploadTicket;
}

/** The ticket's callback as ali-oss takes it (multipart uploads carry it on Complete, §8). */
function aliOssCallback(ticket: UploadTicket): object {
  const decoded = JSON.parse(Buffer.from(ticket.fields.callback ?? '', 'base64').toString('utf8')) as Record<
    string,
    string
  >;
  return {
    url: decoded.callbackUrl,
    body: decoded.callbackBody,
    contentType: decoded.callbackBodyType,
    customValue: { upload_id: ticket.uploadId },
  };
}

async function postForm(url: string, ticket: UploadTicket, body: Buffer) {
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.fields)) form.append(name, value);
  // The demo's policy signs `in $content-type` (its limits); the form states the type, as browsers do.
  if (ticket.fields['Content-Type'] === undefined) form.append('Content-Type', scaleOutContentType);
  form.append('file', new Blob([new Uint8Array(body)]), 'upload.bin');
  const response = await fetch(`${url}/uploads`, { method: 'POST', body: form });
  const text = await response.text();
  return { status: response.status, reply: response.status === 200 ? (JSON.parse(text) as unknown) : text };
}

async function crossInstance(
  clients: AliOssClient[],
  upload: PlannedUpload,
  ticket: UploadTicket,
): Promise<{ status: number; reply: unknown }> {
  const key = ticket.key ?? '';
  const [initiator, uploader, completer] = clients as [AliOssClient, AliOssClient, AliOssClient];
  const { uploadId } = await initiator.initMultipartUpload(key, { mime: scaleOutContentType });
  const partBytes = 256 * kib;
  const parts: Array<{ number: number; etag: string }> = [];
  for (let start = 0, number = 1; start < upload.body.length; start += partBytes, number += 1) {
    const end = Math.min(start + partBytes, upload.body.length);
    const { etag } = await uploader.uploadPart(key, uploadId, number, upload.body, start, end);
    parts.push({ number, etag });
  }
  const done = await completer.completeMultipartUpload(key, uploadId, parts, {
    callback: aliOssCallback(ticket),
  });
  return { status: done.res.status, reply: done.data };
}

/** Runs one upload against instance(s) `instances`; never throws (a failure is the outcome 'error'). */
export async function runUpload(
  upload: PlannedUpload,
  target: UploadTarget,
  instances: number[],
): Promise<UploadOutcome> {
  const ticket = await issueTicket(upload, target);
  const key = ticket.key ?? '';
  const urls = instances.map((i) => target.urls[i] ?? '');
  const outcome = (result: { status: number | 'error'; reply?: unknown }): UploadOutcome => ({
    upload,
    key,
    recordId: ticket.uploadId,
    ...result,
    instances,
  });
  try {
    if (upload.kind === 'form') return outcome(await postForm(urls[0] ?? '', ticket, upload.body));
    const clients = urls.map((url) => createGatewayClient(url, target));
    if (upload.kind === 'cross-instance') return outcome(await crossInstance(clients, upload, ticket));
    const done = await clients[0]!.multipartUpload(key, upload.body, {
      partSize: 200 * kib,
      parallel: 3,
      mime: scaleOutContentType,
      callback: aliOssCallback(ticket),
    });
    return outcome({ status: done.res.status, reply: done.data });
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    return outcome({ status: status === 203 ? 203 : 'error' });
  }
}
