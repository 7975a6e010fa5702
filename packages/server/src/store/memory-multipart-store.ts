// Multipart uploads of MemoryObjectStore: the same promises as FsMultipartStore (contract suite
// multipart-store.contract.ts), with parts kept as buffers in the bucket's `uploads` map.
import { OssError } from '@upcall/protocol';
import type { NewObjectMeta, ObjectMeta } from './object-store.js';
import type {
  ChosenPart,
  MultipartStore,
  MultipartUploadInfo,
  PartInfo,
  PendingPart,
} from './multipart-store.js';
import { assertPartNumber, checkChosenParts } from './chosen-parts.js';
import { compareUtf8 } from './compare-utf8.js';
import { assertMaxKeys } from './list-page.js';
import { requireMemoryBucket, settle, type MemoryBucket, type MemoryUpload } from './memory-bucket.js';
import { MemoryPendingWrite } from './memory-pending-write.js';
import { assertStorableKey } from './object-key.js';
import { snapshotNewMeta } from './object-meta.js';
import { noSuchUpload } from './store-errors.js';
import { pageUploads, type UploadListOptions } from './upload-list-page.js';

export interface MemoryMultipartDeps {
  readonly buckets: ReadonlyMap<string, MemoryBucket>;
  readonly now: () => number;
  readonly newUploadId: () => string;
}

export class MemoryMultipartStore implements MultipartStore {
  readonly #deps: MemoryMultipartDeps;

  constructor(deps: MemoryMultipartDeps) {
    this.#deps = deps;
  }

  initiate(meta: NewObjectMeta): Promise<MultipartUploadInfo> {
    return settle(() => {
      assertStorableKey(meta.key);
      const bucket = requireMemoryBucket(this.#deps.buckets, meta.bucket);
      const info: MultipartUploadInfo = {
        uploadId: this.#deps.newUploadId(),
        bucket: meta.bucket,
        key: meta.key,
        initiatedMs: this.#deps.now(),
        meta: snapshotNewMeta(meta),
      };
      bucket.uploads.set(info.uploadId, { info, parts: new Map() });
      return info;
    });
  }

  getUpload(bucket: string, key: string, uploadId: string): Promise<MultipartUploadInfo | undefined> {
    return Promise.resolve(this.#findUpload(bucket, key, uploadId)?.info);
  }

  beginPart(bucket: string, key: string, uploadId: string, partNumber: number): Promise<PendingPart> {
    return settle(() => {
      assertPartNumber(partNumber);
      const upload = this.#requireUpload(bucket, key, uploadId);
      return new MemoryPendingWrite<PartInfo>((body, checksums) => {
        // Completed or aborted while this part was written: refuse rather than keep an unreachable part.
        if (this.#findUpload(bucket, key, uploadId) !== upload) throw noSuchUpload(uploadId);
        const info: PartInfo = {
          partNumber,
          size: checksums.size,
          etag: checksums.etag,
          crc64: checksums.crc64,
          lastModifiedMs: this.#deps.now(),
        };
        upload.parts.set(partNumber, { info, body });
        return info;
      });
    });
  }

  listParts(
    bucket: string,
    key: string,
    uploadId: string,
    options: { partNumberMarker?: number; maxParts: number },
  ): Promise<{ parts: PartInfo[]; isTruncated: boolean }> {
    return settle(() => {
      assertMaxKeys(options.maxParts);
      const marker = options.partNumberMarker ?? 0;
      const after = [...this.#requireUpload(bucket, key, uploadId).parts.values()]
        .map((part) => part.info)
        .filter((part) => part.partNumber > marker)
        .sort((a, b) => a.partNumber - b.partNumber);
      return { parts: after.slice(0, options.maxParts), isTruncated: after.length > options.maxParts };
    });
  }

  listUploads(
    bucket: string,
    options: UploadListOptions,
  ): Promise<{ uploads: MultipartUploadInfo[]; isTruncated: boolean }> {
    return settle(() => {
      const all = [...requireMemoryBucket(this.#deps.buckets, bucket).uploads.values()]
        .map((upload) => upload.info)
        .sort((a, b) => compareUtf8(a.key, b.key) || compareUtf8(a.uploadId, b.uploadId));
      return pageUploads(all, options);
    });
  }

  complete(
    upload: { bucket: string; key: string; uploadId: string },
    parts: readonly ChosenPart[],
    result: { etag: string; crc64: string },
    options: { forbidOverwrite?: boolean } = {},
  ): Promise<ObjectMeta> {
    return settle(() => {
      const entry = this.#requireUpload(upload.bucket, upload.key, upload.uploadId);
      const chosen = checkChosenParts(parts, (n) => entry.parts.get(n)?.info);
      const { objects, uploads } = requireMemoryBucket(this.#deps.buckets, upload.bucket);
      if (options.forbidOverwrite === true && objects.has(upload.key)) {
        throw new OssError('FileAlreadyExists');
      }
      const body = Buffer.concat(chosen.map((part) => entry.parts.get(part.partNumber)!.body));
      const meta: ObjectMeta = {
        ...entry.info.meta,
        size: body.length,
        etag: result.etag,
        contentMd5: '',
        crc64: result.crc64,
        lastModifiedMs: this.#deps.now(),
      };
      objects.set(upload.key, { meta, body });
      uploads.delete(upload.uploadId);
      return meta;
    });
  }

  abort(bucket: string, key: string, uploadId: string): Promise<boolean> {
    const upload = this.#findUpload(bucket, key, uploadId);
    if (upload !== undefined) this.#deps.buckets.get(bucket)?.uploads.delete(uploadId);
    return Promise.resolve(upload !== undefined);
  }

  expireUploads(initiatedBeforeMs: number): Promise<number> {
    let expired = 0;
    for (const bucket of this.#deps.buckets.values()) {
      for (const [uploadId, upload] of bucket.uploads) {
        if (upload.info.initiatedMs < initiatedBeforeMs && bucket.uploads.delete(uploadId)) expired += 1;
      }
    }
    return Promise.resolve(expired);
  }

  #findUpload(bucket: string, key: string, uploadId: string): MemoryUpload | undefined {
    const upload = this.#deps.buckets.get(bucket)?.uploads.get(uploadId);
    return upload?.info.key === key ? upload : undefined;
  }

  #requireUpload(bucket: string, key: string, uploadId: string): MemoryUpload {
    const upload = this.#findUpload(bucket, key, uploadId);
    if (upload === undefined) throw noSuchUpload(uploadId);
    return upload;
  }
}
