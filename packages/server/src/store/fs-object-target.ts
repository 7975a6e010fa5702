// Where FsObjectStore publishes a PutObject/PostObject body (the FsWriteTarget of FsPendingWrite):
// blobs/<shard>/<blobId>, then one index transaction under its key, then the replaced blob is unlinked.
import { OssError } from '@upcall/protocol';
import type { CommitResult, NewObjectMeta } from './object-store.js';
import { shardOf, type BlobLayout } from './blob-layout.js';
import type { FsWriteTarget } from './fs-pending-write.js';
import { buildObjectMeta } from './object-meta.js';
import type { SqliteObjectIndex } from './sqlite-object-index.js';

export function objectWriteTarget(
  deps: { layout: BlobLayout; index: SqliteObjectIndex; now: () => number },
  meta: NewObjectMeta,
  blobId: string,
): FsWriteTarget<CommitResult> {
  const { layout, index } = deps;
  const shard = shardOf(blobId);
  return {
    finalPath: layout.blobPath(blobId),
    prepareDir: async () => {
      await layout.ensureShardDir(shard);
      return layout.shardDir(shard);
    },
    // Early answer without the rename/fsync work; the authoritative check is in the transaction.
    precheck: (forbidOverwrite) => {
      if (forbidOverwrite && index.getObject(meta.bucket, meta.key) !== undefined) {
        throw new OssError('FileAlreadyExists');
      }
    },
    index: async (checksums, forbidOverwrite) => {
      const stored = buildObjectMeta(meta, checksums, deps.now());
      const replaced = await index.commitObject({ meta: stored, blobId }, forbidOverwrite);
      return { result: { meta: stored }, replacedPath: replaced && layout.blobPath(replaced) };
    },
  };
}
