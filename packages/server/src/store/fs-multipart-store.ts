// Multipart uploads of FsObjectStore (docs/adr/0004 "Multipart"). A part is a staged write like an
// object's (tmp/<id> → fsync → rename to parts/<id> → fsync parts/ → index upsert → unlink the part it
// replaced); Complete is fs-complete-upload.ts. Upload ids and keys appear only in the index.
import type { NewObjectMeta, ObjectMeta } from './object-store.js';
import type {
  ChosenPart,
  MultipartStore,
  MultipartUploadInfo,
  PartInfo,
  PendingPart,
} from './multipart-store.js';
import type { BlobLayout } from './blob-layout.js';
import { assertPartNumber } from './chosen-parts.js';
import { completeFsUpload } from './fs-complete-upload.js';
import { unlinkReplaced, type FsPendingWrite, type FsWriteTarget } from './fs-pending-write.js';
import { assertMaxKeys } from './list-page.js';
import { assertStorableKey } from './object-key.js';
import { snapshotNewMeta } from './object-meta.js';
import type { SqliteObjectIndex } from './sqlite-object-index.js';
import type { UploadRef } from './sqlite-multipart-index.js';
import { noSuchBucket, noSuchUpload } from './store-errors.js';
import { pageUploads, type UploadListOptions } from './upload-list-page.js';

export interface FsMultipartDeps {
  readonly layout: BlobLayout;
  readonly index: SqliteObjectIndex;
  readonly now: () => number;
  readonly newFileId: () => string;
  readonly newUploadId: () => string;
  readonly warn: (message: string, detail: Record<string, unknown>) => void;
  /** Coalesced directory fsync (FsDirSyncer.sync). */
  readonly syncDir: (dir: string) => Promise<void>;
  /** Throws once the store is closed. */
  readonly assertOpen: () => void;
  /** Creates tmp/<fileId> for a staged write that close() aborts if still open. */
  readonly beginWrite: <T>(fileId: string, target: FsWriteTarget<T>) => Promise<FsPendingWrite<T>>;
  /** Runs work that close() waits for. */
  readonly track: <T>(work: () => Promise<T>) => Promise<T>;
}

export class FsMultipartStore implements MultipartStore {
  readonly #deps: FsMultipartDeps;

  constructor(deps: FsMultipartDeps) {
    this.#deps = deps;
  }

  initiate(meta: NewObjectMeta): Promise<MultipartUploadInfo> {
    return this.#run(() => {
      assertStorableKey(meta.key);
      const info: MultipartUploadInfo = {
        uploadId: this.#deps.newUploadId(),
        bucket: meta.bucket,
        key: meta.key,
        initiatedMs: this.#deps.now(),
        meta: snapshotNewMeta(meta),
      };
      this.#deps.index.multipart.insertUpload(info);
      return info;
    });
  }

  getUpload(bucket: string, key: string, uploadId: string): Promise<MultipartUploadInfo | undefined> {
    return this.#run(() => this.#deps.index.multipart.getUpload({ bucket, key, uploadId }));
  }

  async beginPart(bucket: string, key: string, uploadId: string, partNumber: number): Promise<PendingPart> {
    this.#deps.assertOpen();
    assertPartNumber(partNumber);
    const ref = { bucket, key, uploadId };
    this.#requireUpload(ref);
    const { layout, index } = this.#deps;
    const partFileId = this.#deps.newFileId();
    const target: FsWriteTarget<PartInfo> = {
      finalPath: layout.partPath(partFileId),
      prepareDir: () => Promise.resolve(layout.partsDir),
      precheck: () => this.#requireUpload(ref),
      index: async (checksums) => {
        const { size, etag, crc64 } = checksums;
        const info: PartInfo = { partNumber, size, etag, crc64, lastModifiedMs: this.#deps.now() };
        const replaced = await index.multipart.commitPart(ref, { info, partFileId });
        return { result: info, replacedPath: replaced === undefined ? undefined : layout.partPath(replaced) };
      },
    };
    return this.#deps.beginWrite(partFileId, target);
  }

  listParts(
    bucket: string,
    key: string,
    uploadId: string,
    options: { partNumberMarker?: number; maxParts: number },
  ): Promise<{ parts: PartInfo[]; isTruncated: boolean }> {
    return this.#run(() => {
      assertMaxKeys(options.maxParts);
      this.#requireUpload({ bucket, key, uploadId });
      const rows = this.#deps.index.multipart.listParts(
        uploadId,
        options.partNumberMarker ?? 0,
        options.maxParts + 1,
      );
      const parts = rows.slice(0, options.maxParts).map((row) => row.info);
      return { parts, isTruncated: rows.length > options.maxParts };
    });
  }

  listUploads(
    bucket: string,
    options: UploadListOptions,
  ): Promise<{ uploads: MultipartUploadInfo[]; isTruncated: boolean }> {
    return this.#run(() => {
      assertMaxKeys(options.maxUploads);
      if (this.#deps.index.getBucket(bucket) === undefined) throw noSuchBucket(bucket);
      const { prefix = '', keyMarker, uploadIdMarker } = options;
      const rows = this.#deps.index.multipart.listUploads(
        bucket,
        { prefix, keyMarker, uploadIdMarker },
        options.maxUploads + 1,
      );
      return pageUploads(rows, options);
    });
  }

  async complete(
    upload: { bucket: string; key: string; uploadId: string },
    parts: readonly ChosenPart[],
    result: { etag: string; crc64: string },
    options: { forbidOverwrite?: boolean } = {},
  ): Promise<ObjectMeta> {
    this.#deps.assertOpen();
    const ref = { bucket: upload.bucket, key: upload.key, uploadId: upload.uploadId };
    return this.#deps.track(() =>
      completeFsUpload(this.#deps, ref, parts, result, options.forbidOverwrite === true),
    );
  }

  async abort(bucket: string, key: string, uploadId: string): Promise<boolean> {
    this.#deps.assertOpen();
    return this.#abort({ bucket, key, uploadId });
  }

  async expireUploads(initiatedBeforeMs: number): Promise<number> {
    this.#deps.assertOpen();
    let expired = 0;
    for (const ref of this.#deps.index.multipart.uploadsInitiatedBefore(initiatedBeforeMs)) {
      if (await this.#abort(ref)) expired += 1;
    }
    return expired;
  }

  /** Index first (the upload is gone for everyone at once), then the files. */
  async #abort(ref: UploadRef): Promise<boolean> {
    const partFileIds = this.#deps.index.multipart.removeUpload(ref);
    if (partFileIds === undefined) return false;
    for (const id of partFileIds) await unlinkReplaced(this.#deps.layout.partPath(id), this.#deps);
    return true;
  }

  #requireUpload(ref: UploadRef): void {
    if (this.#deps.index.multipart.getUpload(ref) === undefined) throw noSuchUpload(ref.uploadId);
  }

  #run<T>(work: () => T): Promise<T> {
    try {
      this.#deps.assertOpen();
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
