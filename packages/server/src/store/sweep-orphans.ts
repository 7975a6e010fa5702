// The start-up sweep of FsObjectStore (threats §B13, §C7 item 60). It runs while the index holds its
// exclusive lock, so no other live process can own anything under tmp/ or blobs/:
// - every entry of tmp/ is debris of an interrupted upload, part upload or CompleteMultipartUpload;
// - a blob file no index row names is debris of a crash between rename and index transaction, or
//   between the transaction and the unlink of a replaced blob;
// - an index row whose blob file is missing (or is not a regular file) can only come from damage
//   outside the commit protocol (files deleted by hand, a lost disk). The row is dropped so HEAD, GET
//   and List agree the object is gone, and it is reported in `lostObjects` for the operator to see;
// - parts/ likewise: a part file no part row names is debris of a crash during a part commit, or after
//   an abort / Complete transaction but before its part files were unlinked; a part row whose file is
//   missing is dropped (ListParts stops showing it; the client uploads it again) and reported.
// Uploads themselves are never swept: an interrupted Complete leaves its upload resumable. Stale
// uploads go through MultipartStore.expireUploads (the server's configured TTL, threats §C7 item 60).
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { shardNames, unlinkIfPresent, type BlobLayout } from './blob-layout.js';
import type { BlobRef, SqliteObjectIndex } from './sqlite-object-index.js';

export interface SweepReport {
  readonly tempFilesRemoved: number;
  readonly orphanBlobsRemoved: number;
  /** Objects whose blob was missing at start-up; their index entries were removed. */
  readonly lostObjects: ReadonlyArray<{ readonly bucket: string; readonly key: string }>;
  readonly orphanPartsRemoved: number;
  /** Parts whose file was missing at start-up; their rows were removed. */
  readonly lostParts: ReadonlyArray<{ readonly uploadId: string; readonly partNumber: number }>;
  /** Entries left alone because the sweep never deletes directories it did not create. */
  readonly unexpectedEntries: readonly string[];
}

export async function sweepOrphans(layout: BlobLayout, index: SqliteObjectIndex): Promise<SweepReport> {
  const tempFilesRemoved = await emptyDirectory(layout.tmpDir);
  const unexpectedEntries: string[] = [];
  const top = await sweepBlobsRoot(layout, unexpectedEntries);
  let orphanBlobsRemoved = top.removed;
  const lost: BlobRef[] = [];
  for (const shard of shardNames) {
    const result = await sweepShard(layout, index, shard, top.shards.has(shard));
    orphanBlobsRemoved += result.removed;
    lost.push(...result.missing);
    unexpectedEntries.push(...result.unexpected);
  }
  if (lost.length > 0) index.deleteByBlobIds(lost.map((ref) => ref.blobId));
  const parts = await sweepParts(layout, index, unexpectedEntries);
  return {
    tempFilesRemoved,
    orphanBlobsRemoved,
    lostObjects: lost.map(({ bucket, key }) => ({ bucket, key })),
    orphanPartsRemoved: parts.removed,
    lostParts: parts.lost,
    unexpectedEntries,
  };
}

/** parts/ against every part row: unreferenced files, stray entries and symlinks go. */
async function sweepParts(
  layout: BlobLayout,
  index: SqliteObjectIndex,
  unexpected: string[],
): Promise<{ removed: number; lost: Array<{ uploadId: string; partNumber: number }> }> {
  const known = index.multipart.allPartFiles();
  const present = new Set<string>();
  let removed = 0;
  for (const entry of await readdir(layout.partsDir, { withFileTypes: true })) {
    if (entry.isFile() && known.has(entry.name)) {
      present.add(entry.name);
    } else if (entry.isDirectory()) {
      unexpected.push(join(layout.partsDir, entry.name));
    } else if (await unlinkIfPresent(join(layout.partsDir, entry.name))) {
      removed += 1;
    }
  }
  const lostIds = [...known.keys()].filter((id) => !present.has(id));
  if (lostIds.length > 0) index.multipart.deletePartsByFileIds(lostIds);
  const lost = lostIds.map((id) => known.get(id)!);
  return { removed, lost: lost.map(({ uploadId, partNumber }) => ({ uploadId, partNumber })) };
}

/** tmp/ belongs to the store alone: everything in it goes (rm does not follow symlinks). */
async function emptyDirectory(dir: string): Promise<number> {
  const entries = await readdir(dir);
  for (const name of entries) await rm(join(dir, name), { recursive: true, force: true });
  return entries.length;
}

/**
 * blobs/ holds only shard directories. A symlink there (even named like a shard) is unlinked — a
 * rename through it would write outside the store; stray files are removed; foreign directories kept.
 */
async function sweepBlobsRoot(
  layout: BlobLayout,
  unexpected: string[],
): Promise<{ shards: Set<string>; removed: number }> {
  const shards = new Set<string>();
  let removed = 0;
  for (const entry of await readdir(layout.blobsDir, { withFileTypes: true })) {
    if (entry.isDirectory() && shardNames.includes(entry.name)) {
      shards.add(entry.name);
      layout.noteShardDir(entry.name);
    } else if (entry.isDirectory()) {
      unexpected.push(join(layout.blobsDir, entry.name));
    } else if (await unlinkIfPresent(join(layout.blobsDir, entry.name))) {
      removed += 1;
    }
  }
  return { shards, removed };
}

/** One shard: its directory listing against the index rows whose blob id falls in it. */
async function sweepShard(
  layout: BlobLayout,
  index: SqliteObjectIndex,
  shard: string,
  exists: boolean,
): Promise<{ removed: number; missing: BlobRef[]; unexpected: string[] }> {
  const dir = layout.shardDir(shard);
  const refs = index.blobRefsInShard(shard);
  const referenced = new Set(refs.map((ref) => ref.blobId));
  const present = new Set<string>();
  const unexpected: string[] = [];
  let removed = 0;
  for (const entry of exists ? await readdir(dir, { withFileTypes: true }) : []) {
    if (entry.isFile() && referenced.has(entry.name)) {
      present.add(entry.name);
    } else if (entry.isDirectory()) {
      unexpected.push(join(dir, entry.name));
    } else if (await unlinkIfPresent(join(dir, entry.name))) {
      // Unreferenced files, and symlinks even under a referenced name: never serve through a link.
      removed += 1;
    }
  }
  return { removed, missing: refs.filter((ref) => !present.has(ref.blobId)), unexpected };
}
