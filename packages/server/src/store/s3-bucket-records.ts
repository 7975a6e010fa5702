// OSS buckets of S3ObjectStore. Each is a backend bucket (S3BucketMap) holding a small record at
// `.upcall/bucket.json` — its OSS name, ACL, creation time and CORS rules — so every gateway instance
// sees the same buckets with no configuration of its own (decision in docs/scale-out.md: bucket ACL and
// CORS live in the backend, not in the server config, because PutBucketAcl/PutBucketCors must reach all
// instances). Records are cached per instance for `cacheMs`; an instance's own changes are visible to it
// at once, other instances' after at most cacheMs.
import { GetObjectCommand, ListBucketsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { performance } from 'node:perf_hooks';
import type { BucketCors, BucketInfo } from './object-store.js';
import { compareUtf8 } from './compare-utf8.js';
import { asOssError, isNotFoundError, isPreconditionFailedError } from './s3-errors.js';
import { bucketRecordKey } from './s3-hidden-keys.js';
import { mapLimited, type S3StoreContext } from './s3-store-context.js';
import { noSuchBucket } from './store-errors.js';

export interface BucketRecord {
  readonly v: 1;
  readonly name: string;
  readonly acl: BucketInfo['acl'];
  readonly createdMs: number;
  readonly cors?: BucketCors;
}

const acls: ReadonlyArray<BucketInfo['acl']> = ['private', 'public-read', 'public-read-write'];

function parseRecord(text: string, name: string | undefined): BucketRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const record = value as Partial<BucketRecord> | null;
  if (record === null || typeof record !== 'object' || record.v !== 1) return undefined;
  if (typeof record.name !== 'string' || (name !== undefined && record.name !== name)) return undefined;
  if (!acls.includes(record.acl as BucketInfo['acl']) || !Number.isSafeInteger(record.createdMs))
    return undefined;
  if (record.cors !== undefined && (typeof record.cors !== 'object' || record.cors === null))
    return undefined;
  return record as BucketRecord;
}

export function toBucketInfo(record: BucketRecord): BucketInfo {
  return { name: record.name, acl: record.acl, createdMs: record.createdMs };
}

export class S3BucketRecords {
  readonly #ctx: S3StoreContext;
  readonly #cacheMs: number;
  readonly #cache = new Map<string, { record: BucketRecord | undefined; expiresAt: number }>();

  constructor(ctx: S3StoreContext, cacheMs: number) {
    this.#ctx = ctx;
    this.#cacheMs = cacheMs;
  }

  /** The record of OSS bucket `name`; undefined when the bucket does not exist or the name is invalid. */
  async get(name: string, fresh = false): Promise<BucketRecord | undefined> {
    const cached = this.#cache.get(name);
    if (!fresh && cached !== undefined && cached.expiresAt > performance.now()) return cached.record;
    const backend = this.#ctx.buckets.tryBackendFor(name);
    const record = backend === undefined ? undefined : await this.#read(backend, name);
    this.#remember(name, record);
    return record;
  }

  /** The backend bucket of an existing OSS bucket; NoSuchBucket otherwise. */
  async require(name: string): Promise<{ record: BucketRecord; backend: string }> {
    const record = await this.get(name);
    if (record === undefined) throw noSuchBucket(name);
    return { record, backend: this.#ctx.buckets.backendFor(name) };
  }

  /**
   * Writes the record of a new bucket unless one exists (`If-None-Match: *`, so instances starting at once
   * agree on one record); returns the record that is stored.
   */
  async createRecord(name: string, acl: BucketInfo['acl']): Promise<BucketRecord> {
    const backend = this.#ctx.buckets.backendFor(name);
    const record: BucketRecord = { v: 1, name, acl, createdMs: this.#ctx.now() };
    try {
      await this.#write(backend, record, true);
      return record;
    } catch (error) {
      if (!isPreconditionFailedError(error)) throw error;
    }
    const stored = await this.get(name, true);
    if (stored === undefined) throw new Error(`bucket record of ${name} vanished while it was created`);
    return stored;
  }

  /** Replaces the record (last writer wins between instances: documented in docs/scale-out.md). */
  async update(record: BucketRecord): Promise<void> {
    await asOssError(record.name, () =>
      this.#write(this.#ctx.buckets.backendFor(record.name), record, false),
    );
  }

  forget(name: string): void {
    this.#cache.delete(name);
  }

  /** Every OSS bucket: the backend buckets the map could produce that hold a matching record. */
  async listAll(): Promise<BucketRecord[]> {
    const listed = await this.#ctx.client.send(new ListBucketsCommand({}));
    const candidates = (listed.Buckets ?? [])
      .map((bucket) => bucket.Name ?? '')
      .filter((backend) => this.#ctx.buckets.mayHoldOssBucket(backend));
    const records = await mapLimited(candidates, this.#ctx.tuning.concurrency, async (backend) => {
      const record = await this.#read(backend, undefined);
      return record !== undefined && this.#ctx.buckets.tryBackendFor(record.name) === backend
        ? record
        : undefined;
    });
    return records
      .filter((record): record is BucketRecord => record !== undefined)
      .sort((a, b) => compareUtf8(a.name, b.name));
  }

  #remember(name: string, record: BucketRecord | undefined): void {
    if (this.#cacheMs > 0) this.#cache.set(name, { record, expiresAt: performance.now() + this.#cacheMs });
  }

  async #read(backend: string, name: string | undefined): Promise<BucketRecord | undefined> {
    try {
      const response = await this.#ctx.client.send(
        new GetObjectCommand({ Bucket: backend, Key: bucketRecordKey }),
      );
      const text = (await response.Body?.transformToString('utf8')) ?? '';
      return parseRecord(text, name);
    } catch (error) {
      if (isNotFoundError(error)) return undefined;
      throw error;
    }
  }

  async #write(backend: string, record: BucketRecord, onlyIfAbsent: boolean): Promise<void> {
    await this.#ctx.client.send(
      new PutObjectCommand({
        Bucket: backend,
        Key: bucketRecordKey,
        Body: JSON.stringify(record),
        ContentType: 'application/json',
        ...(onlyIfAbsent ? { IfNoneMatch: '*' } : {}),
      }),
    );
    this.#remember(record.name, record);
  }
}
