// Helpers of the multipart contract suite: upload a part the way the UploadPart operation would, and
// complete with stand-in result checksums (the store keeps them verbatim; the operation computes them).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ObjectMeta, ObjectStore } from '../object-store.js';
import type { ChosenPart, MultipartUploadInfo, PartInfo } from '../multipart-store.js';
import { bucket, checksumsOf, chunksOf, newMeta } from './contract-fixtures.js';

export async function initiate(store: ObjectStore, key: string): Promise<MultipartUploadInfo> {
  return store.multipart.initiate(newMeta(key));
}

export async function uploadPart(
  store: ObjectStore,
  upload: MultipartUploadInfo,
  partNumber: number,
  body: Buffer,
): Promise<PartInfo> {
  const pending = await store.multipart.beginPart(upload.bucket, upload.key, upload.uploadId, partNumber);
  try {
    await pipeline(Readable.from(chunksOf(body, 65_521)), pending.sink);
    return await pending.commit(checksumsOf(body));
  } catch (error) {
    await pending.abort();
    throw error;
  }
}

/** The result a CompleteMultipartUpload operation would pass; distinct per part list. */
export function resultFor(parts: readonly ChosenPart[]): { etag: string; crc64: string } {
  return { etag: `"${parts.map((p) => p.partNumber).join('.')}-${parts.length}"`, crc64: '12345' };
}

export function chosen(...parts: PartInfo[]): ChosenPart[] {
  return parts.map(({ partNumber, etag }) => ({ partNumber, etag }));
}

export async function complete(
  store: ObjectStore,
  upload: MultipartUploadInfo,
  parts: readonly ChosenPart[],
  options: { forbidOverwrite?: boolean } = {},
): Promise<ObjectMeta> {
  return store.multipart.complete(upload, parts, resultFor(parts), options);
}

/** A body of `size` bytes whose content depends on `seed` and on the offset (so order errors show). */
export function patterned(size: number, seed: number): Buffer {
  const words = Math.ceil(size / 4);
  const body = Buffer.alloc(words * 4);
  for (let w = 0; w < words; w += 1) body.writeUInt32LE((Math.imul(w + 1, 0x9e3779b1) ^ seed) >>> 0, w * 4);
  return body.subarray(0, size);
}

export { bucket };
