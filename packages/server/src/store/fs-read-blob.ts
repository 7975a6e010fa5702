// FsObjectStore.read (docs/adr/0004 "Readers"): look the key up, open its blob by id, then stream from
// the open descriptor, so a concurrent replace or delete (which unlinks the old blob after its index
// transaction) cannot cut the body: POSIX keeps an unlinked file alive while it is open.
import { createReadStream, open as openCallback } from 'node:fs';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { OssError } from '@upcall/protocol';
import { isErrnoCode, type BlobLayout } from './blob-layout.js';
import { attachPooledSend } from './fs-pooled-send.js';
import type { ObjectMeta } from './object-store.js';
import type { IndexedObject, SqliteObjectIndex } from './sqlite-object-index.js';

/** How often a read retries when the blob it looked up was replaced before it could be opened. */
const maxReadAttempts = 8;

/**
 * Bytes per read(2) of a blob being served. The fs default (64 KiB) made GetObject cost ~2× the CPU of
 * the static-file baseline per byte (bench/benchmarks-analysis.md, scenario 2); 256 KiB is what that
 * baseline uses, and a short range still allocates only what it needs.
 */
export const readChunkBytes = 256 * 1024;

/**
 * fs.open with a callback gives a plain descriptor: a stream over it reads with callback fs.read, while
 * a stream over a FileHandle (fs/promises) pays a promise and a FileHandle operation per chunk.
 */
const openFd = promisify(openCallback);

export interface ReadBlobDeps {
  readonly layout: BlobLayout;
  readonly index: SqliteObjectIndex;
}

export async function readBlob(
  deps: ReadBlobDeps,
  address: { bucket: string; key: string },
  range: { start: number; end: number } | undefined,
): Promise<{ meta: ObjectMeta; body: Readable } | undefined> {
  for (let attempt = 0; attempt < maxReadAttempts; attempt += 1) {
    const entry = deps.index.getObject(address.bucket, address.key);
    if (entry === undefined) return undefined;
    const fd = await openBlob(deps, entry);
    if (fd === undefined) continue; // replaced between lookup and open: look up again
    // autoClose (the default) closes the descriptor on end, error and destroy.
    const body = createReadStream(deps.layout.blobPath(entry.blobId), {
      fd,
      highWaterMark: readChunkBytes,
      ...(range === undefined ? {} : { start: range.start, end: range.end }),
    });
    attachPooledSend(body, fd, range ?? { start: 0, end: entry.meta.size - 1 });
    return { meta: entry.meta, body };
  }
  throw new OssError('InternalError', {
    cause: new Error(`object kept changing while opening ${address.bucket}/${address.key}`),
  });
}

/**
 * Opens the blob an index entry names. undefined when it vanished because the entry was replaced or
 * deleted meanwhile; InternalError when the entry still names it (data lost outside the protocol —
 * a 500, not a misleading 404; the next start-up sweep drops the entry and reports it).
 */
async function openBlob(deps: ReadBlobDeps, entry: IndexedObject): Promise<number | undefined> {
  try {
    return await openFd(deps.layout.blobPath(entry.blobId), 'r');
  } catch (error) {
    if (!isErrnoCode(error, 'ENOENT')) throw error;
    if (deps.index.getObject(entry.meta.bucket, entry.meta.key)?.blobId !== entry.blobId) return undefined;
    throw new OssError('InternalError', {
      cause: new Error(`blob ${entry.blobId} of ${entry.meta.key} is missing`),
    });
  }
}
