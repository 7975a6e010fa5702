// Multipart uploads of S3ObjectStore (contract: multipart-store.contract.ts). OSS parts are streamed
// through to backend objects (s3-part-keys.ts) — not backend parts, because S3 refuses parts under
// 5 MiB that OSS accepts — and CompleteMultipartUpload assembles them into the object under its key
// (s3-complete-upload.ts). All state lives in the backend bucket (s3-upload-records.ts).
import type { NewObjectMeta, ObjectMeta } from './object-store.js';
import type {
  ChosenPart,
  MultipartStore,
  MultipartUploadInfo,
  PartInfo,
  PendingPart,
} from './multipart-store.js';
import { assertPartNumber } from './chosen-parts.js';
import { assertMaxKeys } from './list-page.js';
import { snapshotNewMeta } from './object-meta.js';
import type { S3BucketRecords } from './s3-bucket-records.js';
import { completeS3Upload } from './s3-complete-upload.js';
import { asOssError } from './s3-errors.js';
import { assertUserKey, stagingKey } from './s3-hidden-keys.js';
import { expireS3Uploads } from './s3-multipart-expiry.js';
import { encodePartKey } from './s3-part-keys.js';
import { S3PendingWrite, type StagedBody } from './s3-pending-write.js';
import { publishBuffer, publishStaged, type PublishRequest } from './s3-publish.js';
import type { S3StoreContext, S3Target } from './s3-store-context.js';
import {
  deleteKeys,
  deleteUpload,
  listCurrentParts,
  listPartVersions,
  listUploadRecords,
  readUploadRecord,
  writeUploadRecord,
} from './s3-upload-records.js';
import { noSuchUpload } from './store-errors.js';
import { compareUtf8 } from './compare-utf8.js';
import { pageUploads, type UploadListOptions } from './upload-list-page.js';

export interface S3MultipartDeps {
  readonly ctx: S3StoreContext;
  readonly records: S3BucketRecords;
  readonly newUploadId: () => string;
  /** Registers a staged part with the store, so close() can abort it. */
  readonly track: <T>(write: S3PendingWrite<T>) => S3PendingWrite<T>;
  readonly assertOpen: () => void;
}

export class S3MultipartStore implements MultipartStore {
  readonly #deps: S3MultipartDeps;
  readonly #ctx: S3StoreContext;

  constructor(deps: S3MultipartDeps) {
    this.#deps = deps;
    this.#ctx = deps.ctx;
  }

  async initiate(meta: NewObjectMeta): Promise<MultipartUploadInfo> {
    this.#deps.assertOpen();
    assertUserKey(meta.key);
    const { backend } = await asOssError(meta.bucket, () => this.#deps.records.require(meta.bucket));
    const info: MultipartUploadInfo = {
      uploadId: this.#deps.newUploadId(),
      bucket: meta.bucket,
      key: meta.key,
      initiatedMs: this.#ctx.now(),
      meta: snapshotNewMeta(meta),
    };
    await asOssError(meta.bucket, () => writeUploadRecord(this.#ctx, backend, info));
    return info;
  }

  async getUpload(bucket: string, key: string, uploadId: string): Promise<MultipartUploadInfo | undefined> {
    const backend = this.#ctx.buckets.tryBackendFor(bucket);
    if (backend === undefined) return undefined;
    const info = await asOssError(bucket, () => readUploadRecord(this.#ctx, bucket, backend, uploadId));
    return info?.key === key ? info : undefined;
  }

  async beginPart(bucket: string, key: string, uploadId: string, partNumber: number): Promise<PendingPart> {
    this.#deps.assertOpen();
    assertPartNumber(partNumber);
    await this.#requireUpload(bucket, key, uploadId);
    const target: S3Target = { ossBucket: bucket, backendBucket: this.#ctx.buckets.backendFor(bucket), key };
    const write = new S3PendingWrite<PartInfo>(
      this.#ctx,
      { ...target, stagingKey: () => stagingKey(this.#deps.newUploadId()) },
      (body, checksums) => {
        const { size, etag, crc64 } = checksums;
        const info: PartInfo = { partNumber, size, etag, crc64, lastModifiedMs: this.#ctx.now() };
        return this.#commitPart(target, uploadId, body, info);
      },
    );
    return this.#deps.track(write);
  }

  async listParts(
    bucket: string,
    key: string,
    uploadId: string,
    options: { partNumberMarker?: number; maxParts: number },
  ): Promise<{ parts: PartInfo[]; isTruncated: boolean }> {
    assertMaxKeys(options.maxParts);
    const backend = await this.#requireUpload(bucket, key, uploadId);
    const marker = options.partNumberMarker ?? 0;
    const parts = await asOssError(bucket, () => listCurrentParts(this.#ctx, backend, uploadId));
    const after = parts.map((version) => version.info).filter((part) => part.partNumber > marker);
    return { parts: after.slice(0, options.maxParts), isTruncated: after.length > options.maxParts };
  }

  async listUploads(
    bucket: string,
    options: UploadListOptions,
  ): Promise<{ uploads: MultipartUploadInfo[]; isTruncated: boolean }> {
    assertMaxKeys(options.maxUploads);
    return asOssError(bucket, async () => {
      const { backend } = await this.#deps.records.require(bucket);
      const all = await listUploadRecords(this.#ctx, bucket, backend);
      all.sort((a, b) => compareUtf8(a.key, b.key) || compareUtf8(a.uploadId, b.uploadId));
      return pageUploads(all, options);
    });
  }

  complete(
    upload: { bucket: string; key: string; uploadId: string },
    parts: readonly ChosenPart[],
    result: { etag: string; crc64: string },
    options: { forbidOverwrite?: boolean } = {},
  ): Promise<ObjectMeta> {
    this.#deps.assertOpen();
    return completeS3Upload(this.#ctx, {
      upload,
      parts,
      result,
      forbidOverwrite: options.forbidOverwrite === true,
    });
  }

  async abort(bucket: string, key: string, uploadId: string): Promise<boolean> {
    const info = await this.getUpload(bucket, key, uploadId);
    if (info === undefined) return false;
    const backend = this.#ctx.buckets.backendFor(bucket);
    await asOssError(bucket, () => deleteUpload(this.#ctx, backend, uploadId));
    return true;
  }

  expireUploads(initiatedBeforeMs: number): Promise<number> {
    return expireS3Uploads(this.#ctx, this.#deps.records, initiatedBeforeMs);
  }

  /** The backend bucket of an existing upload; NoSuchUpload otherwise. */
  async #requireUpload(bucket: string, key: string, uploadId: string): Promise<string> {
    if ((await this.getUpload(bucket, key, uploadId)) === undefined) throw noSuchUpload(uploadId);
    return this.#ctx.buckets.backendFor(bucket);
  }

  /**
   * Stores the part as a new version, then checks that the upload still exists (it may have been
   * completed or aborted meanwhile: the part is removed and NoSuchUpload thrown), then removes older
   * versions of the same number.
   */
  async #commitPart(target: S3Target, uploadId: string, body: StagedBody, info: PartInfo): Promise<PartInfo> {
    const ctx = this.#ctx;
    const version = ctx.partVersions.next(info.lastModifiedMs);
    const partKey = encodePartKey(uploadId, info, version);
    const request: PublishRequest = {
      target: { ...target, key: partKey },
      headers: { ContentType: 'application/octet-stream', Metadata: {} },
      forbidOverwrite: false,
    };
    if (body.kind === 'buffer') await publishBuffer(ctx, request, body.body);
    else await publishStaged(ctx, request, body.key, body.size);
    const backend = target.backendBucket;
    await asOssError(target.ossBucket, async () => {
      if ((await readUploadRecord(ctx, target.ossBucket, backend, uploadId)) === undefined) {
        await deleteKeys(ctx, backend, [partKey]);
        throw noSuchUpload(uploadId);
      }
      const versions = await listPartVersions(ctx, backend, uploadId, info.partNumber);
      const older = versions.filter((v) => v.version < version);
      await deleteKeys(
        ctx,
        backend,
        older.map((v) => v.key),
      );
    });
    return info;
  }
}
