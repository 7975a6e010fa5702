// The uploads the power-loss audit acknowledges: PutObject, PostObject (V1 and V4 policies), multipart
// (Initiate, UploadPart, Complete) and one multipart upload left open, so that acknowledged parts are
// audited too. They run a few at a time, so group commits and shared directory fsyncs (fs-dir-syncer.ts,
// packages/sqlite-group-commit) are exercised. Each 2xx answer is recorded with its x-oss-request-id, which the
// shim finds in the response head; the file each ack produced is looked up in the index afterwards.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  postObject,
  putObject,
  sendSigned,
  type OssTarget,
  type RawResponse,
} from '../support/oss-requests.js';
import type { ExpectedAck } from './check-durability.js';

/** What the client was told, before the file it names is known. */
export interface ClientAck {
  readonly requestId: string;
  readonly label: string;
  readonly bytes?: number;
  readonly object?: { readonly key: string } | { readonly uploadId: string; readonly partNumber: number };
}

const bodyOf = (label: string, size: number): Buffer => {
  const out = Buffer.alloc(size);
  let block = createHash('sha256').update(label).digest();
  for (let at = 0; at < size; at += block.length) {
    block.copy(out, at);
    block = createHash('sha256').update(block).digest();
  }
  return out;
};

function acked(
  res: RawResponse,
  label: string,
  extra: Omit<ClientAck, 'requestId' | 'label'> = {},
): ClientAck {
  const requestId = res.headers['x-oss-request-id'];
  if (res.status < 200 || res.status > 299 || typeof requestId !== 'string') {
    throw new Error(`${label}: answered ${res.status} ${res.body.toString('utf8').slice(0, 200)}`);
  }
  return { requestId, label, ...extra };
}

async function single(
  target: OssTarget,
  kind: 'put' | 'post-v1' | 'post-v4',
  key: string,
  size: number,
): Promise<ClientAck> {
  const body = bodyOf(key, size);
  const res =
    kind === 'put'
      ? await putObject(target, key, body)
      : await postObject(target, key, body, kind === 'post-v1' ? 'v1' : 'v4');
  return acked(res, `${kind} ${key}`, { bytes: size, object: { key } });
}

async function multipart(
  target: OssTarget,
  key: string,
  partSizes: readonly number[],
  complete: boolean,
): Promise<ClientAck[]> {
  const init = await sendSigned(target, { method: 'POST', key, query: [['uploads', '']] });
  const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(init.body.toString('utf8'))?.[1] ?? '';
  const acks = [acked(init, `initiate ${key}`)];
  const etags: string[] = [];
  for (const [index, size] of partSizes.entries()) {
    const partNumber = index + 1;
    const query: Array<[string, string]> = [
      ['partNumber', String(partNumber)],
      ['uploadId', uploadId],
    ];
    const res = await sendSigned(target, {
      method: 'PUT',
      key,
      query,
      body: bodyOf(`${key}#${partNumber}`, size),
    });
    acks.push(acked(res, `part ${partNumber} of ${key}`, { bytes: size, object: { uploadId, partNumber } }));
    etags.push(String(res.headers.etag));
  }
  if (!complete) return acks;
  const parts = etags.map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${etag}</ETag></Part>`);
  const body = Buffer.from(`<CompleteMultipartUpload>${parts.join('')}</CompleteMultipartUpload>`);
  const res = await sendSigned(target, { method: 'POST', key, query: [['uploadId', uploadId]], body });
  const total = partSizes.reduce((sum, size) => sum + size, 0);
  acks.push(acked(res, `complete ${key}`, { bytes: total, object: { key } }));
  return acks;
}

/** `count` uploads of every kind, `concurrency` at a time; resolves with every acknowledgement. */
export async function driveAuditUploads(
  target: OssTarget,
  count: number,
  concurrency: number,
): Promise<ClientAck[]> {
  const kinds = ['put', 'post-v1', 'put', 'post-v4', 'multipart'] as const;
  const jobs = Array.from({ length: count }, (_, i) => async (): Promise<ClientAck[]> => {
    const kind = kinds[i % kinds.length]!;
    const key = `audit/${i}`;
    // Sizes: empty, one byte, under and over the 64 KiB stream chunk, a few hundred KiB.
    const size = [0, 1, 5_000, 70_000, 300_000][Math.floor(i / kinds.length) % 5]!;
    if (kind !== 'multipart') return [await single(target, kind, key, size)];
    return await multipart(target, key, [100 * 1024, 3_000 + size], true);
  });
  // Left open: their parts stay indexed, so their part files can be audited (a completed upload's part
  // files are gone once it completes, and with them the record of which file was which part).
  jobs.push(async () => await multipart(target, 'audit/open-1', [100 * 1024, 2_000], false));
  jobs.push(async () => await multipart(target, 'audit/open-2', [1, 70_000, 0], false));
  const acks: ClientAck[] = [];
  const worker = async (): Promise<void> => {
    for (let job = jobs.shift(); job !== undefined; job = jobs.shift()) acks.push(...(await job()));
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return acks;
}

/** Names the file behind each acknowledgement, from the index of the stopped server. */
export function resolveAckFiles(dataDir: string, bucket: string, acks: readonly ClientAck[]): ExpectedAck[] {
  const db = new Database(join(dataDir, 'index.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const blob = db.prepare<[string, string], { blob_id: string }>(
      'SELECT blob_id FROM objects WHERE bucket = ? AND key = ?',
    );
    const part = db.prepare<[string, number], { part_file_id: string }>(
      'SELECT part_file_id FROM multipart_parts WHERE upload_id = ? AND part_number = ?',
    );
    return acks.map((ack) => {
      const { object, ...rest } = ack;
      if (object === undefined) return rest;
      let path: string | undefined;
      if ('key' in object) {
        const id = blob.get(bucket, object.key)?.blob_id;
        path = id === undefined ? undefined : join(dataDir, 'blobs', id.slice(0, 2), id);
      } else {
        const id = part.get(object.uploadId, object.partNumber)?.part_file_id;
        path = id === undefined ? undefined : join(dataDir, 'parts', id);
      }
      // A completed upload's parts are gone from the index (and disk): only its Complete is audited.
      return path === undefined && !('key' in object)
        ? { requestId: rest.requestId, label: rest.label }
        : { ...rest, path: path ?? join(dataDir, `missing:${ack.label}`) };
    });
  } finally {
    db.close();
  }
}
