// Shared helpers of the ObjectStore contract suite: a fresh store per test, a complete put, body
// reading, and a directory walk for the on-disk assertions of stores that have a data directory.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { OssError } from '@upcall/protocol';
import type { OssErrorCode } from '@upcall/protocol';
import type { CommitResult, NewObjectMeta, ObjectStore } from '../object-store.js';

export interface ContractStore {
  readonly store: ObjectStore;
  /**
   * The store's data directory, for stores that write files. It must be a child of a fresh directory
   * that only this test uses: the suite walks that parent to prove no write escaped the store.
   */
  readonly dataDir?: string;
  cleanup(): Promise<void>;
}

export interface ContractStoreOptions {
  /** Clock for lastModifiedMs / initiatedMs; the factory must pass it to the store. */
  readonly now?: () => number;
}

export type ContractStoreFactory = (options?: ContractStoreOptions) => Promise<ContractStore>;

export const bucket = 'contract-bucket';

/** A fresh store with `bucket` created; always cleaned up. */
export async function withStore(
  makeStore: ContractStoreFactory,
  test: (store: ObjectStore, dataDir: string | undefined) => Promise<void>,
  options?: ContractStoreOptions,
): Promise<void> {
  const made = await makeStore(options);
  try {
    await made.store.createBucket(bucket);
    await test(made.store, made.dataDir);
  } finally {
    await made.store.close();
    await made.cleanup();
  }
}

export function newMeta(key: string, overrides: Partial<NewObjectMeta> = {}): NewObjectMeta {
  return {
    bucket,
    key,
    contentType: 'application/octet-stream',
    headers: {},
    userMeta: {},
    acl: 'default',
    storageClass: 'Standard',
    ...overrides,
  };
}

/**
 * Checksums as the upload pipeline would report them. The store keeps them verbatim and does not
 * recompute them, so the CRC here is a stand-in derived from SHA-256, distinct per body.
 */
export function checksumsOf(body: Buffer) {
  const md5 = createHash('md5').update(body).digest();
  return {
    size: body.length,
    etag: `"${md5.toString('hex').toUpperCase()}"`,
    contentMd5: md5.toString('base64'),
    crc64: BigInt(`0x${createHash('sha256').update(body).digest('hex').slice(0, 16)}`).toString(10),
  };
}

export async function putObject(
  store: ObjectStore,
  meta: NewObjectMeta,
  body: Buffer,
  options: { forbidOverwrite?: boolean } = {},
): Promise<CommitResult> {
  const pending = await store.beginPut(meta);
  try {
    await pipeline(Readable.from(chunksOf(body, 7_919)), pending.sink);
    return await pending.commit(checksumsOf(body), options);
  } catch (error) {
    await pending.abort();
    throw error;
  }
}

/** Splits into odd-sized chunks so sinks see several writes; an empty body is one empty chunk. */
export function chunksOf(body: Buffer, size: number): Buffer[] {
  if (body.length === 0) return [];
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < body.length; offset += size)
    chunks.push(body.subarray(offset, offset + size));
  return chunks;
}

export async function readBody(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function readObject(store: ObjectStore, key: string): Promise<Buffer | undefined> {
  const result = await store.read(bucket, key);
  return result === undefined ? undefined : readBody(result.body);
}

export async function assertOssError(promise: Promise<unknown>, code: OssErrorCode, status: number) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof OssError, `expected OssError ${code}, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.equal(error.status, status);
    return true;
  });
}

/** Every file (not directory) below `root`, as paths relative to it. */
export async function walkFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

/** The files of a disk store's data directory ([] for stores without one). */
export function filesOf(dataDir: string | undefined): Promise<string[]> {
  return dataDir === undefined ? Promise.resolve([]) : walkFiles(dataDir);
}
