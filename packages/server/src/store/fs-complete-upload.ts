// CompleteMultipartUpload for FsObjectStore (docs/adr/0004 "Multipart"). The order keeps every crash
// recoverable, like a single upload's commit:
//   chosen parts streamed into tmp/<id> → fsync + size check → rename into blobs/ → fsync shard dir
//   → ONE index transaction (object row in, upload and part rows out) → unlink part files and the
//   replaced blob.
// Before the transaction a crash leaves the upload intact (resumable) plus debris the start-up sweep
// removes (the temp file, an unindexed blob); after it, only unreferenced part files and the replaced
// blob, which the sweep also removes. Never a partial object (threats §C7 item 60).
import { rename } from 'node:fs/promises';
import { OssError } from '@upcall/protocol';
import type { ObjectMeta } from './object-store.js';
import { maxPartNumber, type ChosenPart } from './multipart-store.js';
import { isErrnoCode, shardOf, unlinkIfPresent, type BlobLayout } from './blob-layout.js';
import { injectFault } from './fault-injection.js';
import { checkChosenParts } from './chosen-parts.js';
import { assemblePartFiles } from './fs-assemble-parts.js';
import { unlinkReplaced } from './fs-pending-write.js';
import type { SqliteObjectIndex } from './sqlite-object-index.js';
import type { UploadRef } from './sqlite-multipart-index.js';
import { noSuchUpload } from './store-errors.js';

export interface FsCompleteDeps {
  readonly layout: BlobLayout;
  readonly index: SqliteObjectIndex;
  readonly now: () => number;
  readonly newFileId: () => string;
  readonly warn: (message: string, detail: Record<string, unknown>) => void;
  /** Coalesced directory fsync (FsDirSyncer.sync). */
  readonly syncDir: (dir: string) => Promise<void>;
}

type ChosenFile = { etag: string; size: number; partFileId: string };

export async function completeFsUpload(
  deps: FsCompleteDeps,
  ref: UploadRef,
  chosen: readonly ChosenPart[],
  result: { etag: string; crc64: string },
  forbidOverwrite: boolean,
): Promise<ObjectMeta> {
  const { layout, index } = deps;
  const upload = index.multipart.getUpload(ref);
  if (upload === undefined) throw noSuchUpload(ref.uploadId);
  const files = chooseFiles(deps, ref, chosen);
  // Early answer without the copy; the authoritative check is in the transaction.
  if (forbidOverwrite && index.getObject(ref.bucket, ref.key) !== undefined) {
    throw new OssError('FileAlreadyExists');
  }
  const blobId = deps.newFileId();
  const size = files.reduce((sum, file) => sum + file.size, 0);
  let published = false;
  let meta: ObjectMeta;
  let committed: { replacedBlobId: string | undefined; partFileIds: string[] };
  try {
    await assemble(deps, ref, files, blobId, size);
    await layout.ensureShardDir(shardOf(blobId));
    injectFault('complete-before-rename');
    await rename(layout.tempPath(blobId), layout.blobPath(blobId));
    published = true;
    await deps.syncDir(layout.shardDir(shardOf(blobId)));
    injectFault('complete-after-rename');
    meta = {
      ...upload.meta,
      size,
      etag: result.etag,
      contentMd5: '',
      crc64: result.crc64,
      lastModifiedMs: deps.now(),
    };
    committed = await index.multipart.completeUpload(ref, { meta, blobId }, forbidOverwrite);
  } catch (error) {
    await discard(layout, blobId, published).catch((cleanupError: unknown) =>
      deps.warn('could not remove an assembled object; the start-up sweep will', {
        blobId,
        error: cleanupError,
      }),
    );
    throw error;
  }
  injectFault('complete-after-commit');
  for (const partFileId of committed.partFileIds) await unlinkReplaced(layout.partPath(partFileId), deps);
  if (committed.replacedBlobId !== undefined) {
    await unlinkReplaced(layout.blobPath(committed.replacedBlobId), deps);
  }
  return meta;
}

/** The chosen parts' files, checked against the index now (InvalidPart / InvalidPartOrder). */
function chooseFiles(deps: FsCompleteDeps, ref: UploadRef, chosen: readonly ChosenPart[]): ChosenFile[] {
  const stored = deps.index.multipart.listParts(ref.uploadId, 0, maxPartNumber);
  const byNumber = new Map(
    stored.map((part) => [
      part.info.partNumber,
      { etag: part.info.etag, size: part.info.size, partFileId: part.partFileId },
    ]),
  );
  return checkChosenParts(chosen, (partNumber) => byNumber.get(partNumber));
}

/**
 * Streams the part files into tmp/<blobId>. A part file that vanished mid-way means the upload was
 * completed or aborted concurrently (NoSuchUpload), or the part re-uploaded since it was chosen
 * (InvalidPart: the bytes the client listed are gone); if the index still names it, data was lost.
 */
async function assemble(
  deps: FsCompleteDeps,
  ref: UploadRef,
  files: readonly ChosenFile[],
  blobId: string,
  size: number,
): Promise<void> {
  const partPaths = files.map((file) => deps.layout.partPath(file.partFileId));
  try {
    await assemblePartFiles(partPaths, deps.layout.tempPath(blobId), size);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).path;
    if (!isErrnoCode(error, 'ENOENT') || missing === undefined || !partPaths.includes(missing)) throw error;
    if (deps.index.multipart.getUpload(ref) === undefined) throw noSuchUpload(ref.uploadId);
    const current = deps.index.multipart.listParts(ref.uploadId, 0, maxPartNumber);
    if (!current.some((part) => deps.layout.partPath(part.partFileId) === missing)) {
      throw new OssError('InvalidPart', { cause: error });
    }
    throw new OssError('InternalError', { cause: error });
  }
}

async function discard(layout: BlobLayout, blobId: string, published: boolean): Promise<void> {
  await unlinkIfPresent(layout.tempPath(blobId));
  if (published) await unlinkIfPresent(layout.blobPath(blobId));
}
