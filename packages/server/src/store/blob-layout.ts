// Where FsObjectStore keeps its files: index.sqlite, tmp/ (staged writes), blobs/<shard>/ (objects) and
// parts/ (committed multipart parts). Nothing here is derived from a bucket name or an object key:
// blobs are named by random ids, so no key (`../../etc/passwd`, `a\..\b`, `CON`, 1023 bytes of `../`) can
// ever name a path (threats §B6). Temp files live on the same filesystem as blobs so that publishing is
// one atomic rename(2).
import { lstat, mkdir, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { randomHex } from '../random-hex.js';
import { skipFsyncByFault } from './fault-injection.js';

const blobIdPattern = /^[0-9a-f]{32}$/;

/** 16 random bytes as lower-case hex. Never derived from the key. */
export function newBlobId(): string {
  return randomHex(16);
}

export function isBlobId(value: string): boolean {
  return blobIdPattern.test(value);
}

/** The 256 shard directory names `00`…`ff`; a blob lives in the shard named by its first two characters. */
export const shardNames: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).padStart(2, '0'),
);

export function shardOf(blobId: string): string {
  return blobId.slice(0, 2);
}

export class BlobLayout {
  readonly dataDir: string;
  readonly indexPath: string;
  readonly tmpDir: string;
  readonly blobsDir: string;
  /** Committed multipart parts, flat, named by random ids like blobs (never by key or upload id). */
  readonly partsDir: string;
  /** Shard directories known to exist as plain directories (created lazily, see ensureShardDir). */
  readonly #shards = new Set<string>();

  constructor(dataDir: string) {
    this.dataDir = dataDir;
    this.indexPath = join(dataDir, 'index.sqlite');
    this.tmpDir = join(dataDir, 'tmp');
    this.blobsDir = join(dataDir, 'blobs');
    this.partsDir = join(dataDir, 'parts');
  }

  partPath(partFileId: string): string {
    return join(this.partsDir, partFileId);
  }

  tempPath(blobId: string): string {
    return join(this.tmpDir, blobId);
  }

  shardDir(shard: string): string {
    return join(this.blobsDir, shard);
  }

  blobPath(blobId: string): string {
    return join(this.blobsDir, shardOf(blobId), blobId);
  }

  /** Records a shard directory the start-up sweep found (and checked to be a plain directory). */
  noteShardDir(shard: string): void {
    this.#shards.add(shard);
  }

  /**
   * Creates a shard directory on first use. Lazily, because creating all 256 up front costs ~190 ms
   * on ext4 without a journal after recent deletions (perf-notes §1) — for every store a test opens.
   * The blobs/ directory is fsynced so the new shard's entry is as durable as the blob renamed into it.
   */
  async ensureShardDir(shard: string): Promise<void> {
    if (this.#shards.has(shard)) return;
    const dir = this.shardDir(shard);
    await mkdir(dir, { recursive: true });
    await assertPlainDirectory(dir);
    await fsyncDir(this.blobsDir);
    this.#shards.add(shard);
  }
}

/**
 * Creates the top directories and refuses a layout whose directories are symlinks or other
 * non-directories: the data root must hold no links the server did not create (threats §B6, "Symlinks").
 * Shard directories are checked by the sweep and by ensureShardDir.
 */
export async function prepareLayout(layout: BlobLayout): Promise<void> {
  for (const dir of [layout.dataDir, layout.tmpDir, layout.blobsDir, layout.partsDir]) {
    await mkdir(dir, { recursive: true });
    await assertPlainDirectory(dir);
  }
}

async function assertPlainDirectory(dir: string): Promise<void> {
  if (!(await lstat(dir)).isDirectory()) {
    throw new Error(`FsObjectStore: ${dir} is not a plain directory (symlink or file); refusing to use it`);
  }
}

/** fsync(2) on a directory makes the entries created or renamed in it durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    if (!skipFsyncByFault('dir-fsync')) await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Unlinks `path`; resolves false when it was already gone. Other errors propagate. */
export async function unlinkIfPresent(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return false;
    throw error;
  }
}

export function isErrnoCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
