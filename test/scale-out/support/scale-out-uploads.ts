// The uploads of the scale-out test, each as a real client would make it against one gateway instance:
// PostObject forms signed by app-kit tickets (with callback and forbid-overwrite), ali-oss multipartUpload
// through one instance, and multipart uploads whose steps go to three different instances.
import { createRequire } from 'node:module';
import { buildUploadTicket, type UploadRecordStore, type UploadTicket } from '@upcall/app-kit';
import { patterned } from '../../../packages/server/src/store/contract/multipart-fixtures.js';

export type UploadKind = 'form' | 'multipart' | 'cross-instance';

export interface PlannedUpload {
  readonly index: number;
  readonly kind: UploadKind;
  readonly key: string;
  readonly body: Buffer;
}

export interface UploadOutcome {
  readonly upload: PlannedUpload;
  readonly recordId: string;
  /** HTTP status of the final step (200 stored + confirmed, 203 stored + callback failed), or the error. */
  readonly status: number | 'error';
  readonly instances: readonly number[];
}

export interface UploadTarget {
  readonly urls: readonly string[];
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly callbackUrls: readonly string[];
  readonly records: UploadRecordStore;
}

interface AliOssClient {
  multipartUpload(name: string, file: Buffer, options: object): Promise<{ res: { status: number } }>;
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
  ): Promise<{ res: { status: number } }>;
  get(name: string): Promise<{ content: Buffer }>;
  list(query: object, options?: object): Promise<{ objects?: Array<{ name: string; size: number }> }>;
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
    return { index, kind, key: `scale/${kind}-${index}.bin`, body: patterned(size, index) };
  });
}

async function issueTicket(upload: PlannedUpload, target: UploadTarget): Promise<UploadTicket> {
  const callbackUrls = upload.index % 2 === 0 ? target.callbackUrls : [...target.callbackUrls].reverse();
  const { ticket, record } = buildUploadTicket({
    credentials: { accessKeyId: target.accessKeyId, accessKeySecret: target.accessKeySecret },
    region: 'cn-hangzhou',
    bucket: 'uploads',
    host: target.urls[0] ?? '',
    userId: `user-${upload.index % 5}`,
    key: upload.key,
    maxSizeBytes: 8 * 1024 * kib,
    callback: { urls: callbackUrls },
  });
  await target.records.insertPending(record);
  return ticket;
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

async function postForm(url: string, ticket: UploadTicket, body: Buffer): Promise<number> {
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.fields)) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(body)]), 'upload.bin');
  const response = await fetch(`${url}/uploads`, { method: 'POST', body: form });
  await response.arrayBuffer();
  return response.status;
}

async function crossInstance(
  clients: AliOssClient[],
  upload: PlannedUpload,
  ticket: UploadTicket,
): Promise<number> {
  const [initiator, uploader, completer] = clients as [AliOssClient, AliOssClient, AliOssClient];
  const { uploadId } = await initiator.initMultipartUpload(upload.key);
  const partBytes = 256 * kib;
  const parts: Array<{ number: number; etag: string }> = [];
  for (let start = 0, number = 1; start < upload.body.length; start += partBytes, number += 1) {
    const end = Math.min(start + partBytes, upload.body.length);
    const { etag } = await uploader.uploadPart(upload.key, uploadId, number, upload.body, start, end);
    parts.push({ number, etag });
  }
  const done = await completer.completeMultipartUpload(upload.key, uploadId, parts, {
    callback: aliOssCallback(ticket),
  });
  return done.res.status;
}

/** Runs one upload against instance(s) `instances`; never throws (a failure is the outcome 'error'). */
export async function runUpload(
  upload: PlannedUpload,
  target: UploadTarget,
  instances: number[],
): Promise<UploadOutcome> {
  const ticket = await issueTicket(upload, target);
  const urls = instances.map((i) => target.urls[i] ?? '');
  const outcome = (status: number | 'error'): UploadOutcome => ({
    upload,
    recordId: ticket.uploadId,
    status,
    instances,
  });
  try {
    if (upload.kind === 'form') return outcome(await postForm(urls[0] ?? '', ticket, upload.body));
    const clients = urls.map((url) => createGatewayClient(url, target));
    if (upload.kind === 'cross-instance') return outcome(await crossInstance(clients, upload, ticket));
    const done = await clients[0]!.multipartUpload(upload.key, upload.body, {
      partSize: 200 * kib,
      parallel: 3,
      callback: aliOssCallback(ticket),
    });
    return outcome(done.res.status);
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    return outcome(status === 203 ? 203 : 'error');
  }
}
