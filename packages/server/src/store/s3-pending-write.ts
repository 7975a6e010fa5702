// A staged write of S3ObjectStore (objects and OSS parts alike), same promises as the other stores'
// (nothing visible before commit, size checked, abort leaves nothing, abort after a settled commit a
// no-op). The body is buffered up to tuning.partBytes; a body that grows past that is streamed on as a
// backend multipart upload of a staging key under `.upcall/staging/`, one buffered part at a time with
// at most queueSize part uploads in flight before write() waits, so memory stays bounded by
// partBytes × (queueSize + 1) whatever the size. `publish` decides where the bytes finally go.
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Writable } from 'node:stream';
import { OssError } from '@upcall/protocol';
import type { Checksums } from './object-meta.js';
import { abortQuietly } from './s3-publish.js';
import { asOssError, toOssError } from './s3-errors.js';
import type { S3StoreContext } from './s3-store-context.js';
import { awaitEndedSink, destroyAndWaitForClose, keepSinkErrorForCommit } from './sink-closing.js';

export type StagedBody =
  | { readonly kind: 'buffer'; readonly body: Buffer }
  | { readonly kind: 'staged'; readonly key: string; readonly size: number };

/** Publishes the body; throws (FileAlreadyExists, NoSuchUpload, NoSuchBucket…) to refuse it. */
export type S3Publish<T> = (body: StagedBody, checksums: Checksums, forbidOverwrite: boolean) => Promise<T>;

export interface S3PendingWriteSetup {
  readonly ossBucket: string;
  readonly backendBucket: string;
  /** Key of the staging upload, should the body outgrow one part. */
  readonly stagingKey: () => string;
}

type State = 'writing' | 'committing' | 'committed' | 'aborted';

interface Staging {
  readonly key: string;
  readonly uploadId: string;
  readonly parts: Array<{ PartNumber: number; ETag: string | undefined }>;
}

export class S3PendingWrite<T> {
  readonly sink: Writable;
  readonly #ctx: S3StoreContext;
  readonly #setup: S3PendingWriteSetup;
  readonly #publish: S3Publish<T>;
  #chunks: Buffer[] = [];
  #buffered = 0;
  #total = 0;
  #staging: Promise<Staging> | undefined;
  readonly #inFlight = new Set<Promise<void>>();
  #failure: Error | undefined;
  #state: State = 'writing';
  #settling: Promise<unknown> = Promise.resolve();
  readonly #settledListeners: Array<() => void> = [];

  constructor(ctx: S3StoreContext, setup: S3PendingWriteSetup, publish: S3Publish<T>) {
    this.#ctx = ctx;
    this.#setup = setup;
    this.#publish = publish;
    this.sink = new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        this.#write(chunk).then(() => callback(), callback);
      },
      final: (callback) => {
        this.#flushLastPart().then(() => callback(), callback);
      },
    });
    keepSinkErrorForCommit(this.sink);
  }

  commit(checksums: Checksums, options: { forbidOverwrite?: boolean } = {}): Promise<T> {
    if (this.#state !== 'writing') return Promise.reject(new Error(`commit() after ${this.#state}`));
    this.#state = 'committing';
    const work = this.#finish(checksums, options.forbidOverwrite === true);
    this.#settling = work.then(
      () => (this.#state = 'committed'),
      () => (this.#state = 'aborted'),
    );
    void this.#settling.finally(() => this.#notifySettled());
    return work;
  }

  /** Told once the write is committed or aborted (the store's close() tracks open writes). */
  onSettled(listener: () => void): void {
    this.#settledListeners.push(listener);
  }

  #notifySettled(): void {
    for (const listener of this.#settledListeners.splice(0)) listener();
  }

  async abort(): Promise<void> {
    if (this.#state !== 'writing') {
      await this.#settling;
      return;
    }
    this.#state = 'aborted';
    this.#chunks = [];
    await destroyAndWaitForClose(this.sink);
    await this.#discardStaging(false);
    this.#notifySettled();
  }

  async #write(chunk: Buffer): Promise<void> {
    if (this.#state === 'aborted') throw new Error('the write was aborted');
    this.#chunks.push(Buffer.from(chunk)); // the producer may reuse its buffer
    this.#buffered += chunk.length;
    this.#total += chunk.length;
    if (this.#buffered >= this.#ctx.tuning.partBytes) this.#startPart();
    while (this.#inFlight.size >= this.#ctx.tuning.queueSize) await Promise.race(this.#inFlight);
    if (this.#failure !== undefined) throw this.#failure;
  }

  async #flushLastPart(): Promise<void> {
    if (this.#staging !== undefined && this.#buffered > 0) this.#startPart();
    await Promise.all(this.#inFlight);
    if (this.#failure !== undefined) throw this.#failure;
  }

  /** Sends the buffered bytes as the next part of the staging upload (created on first use). */
  #startPart(): void {
    const body = Buffer.concat(this.#chunks);
    this.#chunks = [];
    this.#buffered = 0;
    this.#staging ??= this.#createStaging();
    const staging = this.#staging;
    const upload = staging.then(async ({ key, uploadId, parts }) => {
      const entry = { PartNumber: parts.length + 1, ETag: undefined as string | undefined };
      parts.push(entry);
      const sent = await this.#ctx.client.send(
        new UploadPartCommand({
          Bucket: this.#setup.backendBucket,
          Key: key,
          UploadId: uploadId,
          PartNumber: entry.PartNumber,
          Body: body,
          ContentLength: body.length,
        }),
      );
      entry.ETag = sent.ETag;
    });
    const tracked: Promise<void> = upload
      .catch((error: unknown) => {
        this.#failure ??= toOssError(error, this.#setup.ossBucket);
      })
      .finally(() => this.#inFlight.delete(tracked));
    this.#inFlight.add(tracked);
  }

  async #createStaging(): Promise<Staging> {
    const key = this.#setup.stagingKey();
    const created = await this.#ctx.client.send(
      new CreateMultipartUploadCommand({ Bucket: this.#setup.backendBucket, Key: key }),
    );
    return { key, uploadId: created.UploadId ?? '', parts: [] };
  }

  async #finish(checksums: Checksums, forbidOverwrite: boolean): Promise<T> {
    let completed = false;
    try {
      await awaitEndedSink(this.sink);
      if (this.#total !== checksums.size) {
        throw new OssError('InternalError', {
          cause: new Error(`received ${this.#total} bytes, expected ${checksums.size}`),
        });
      }
      if (this.#staging === undefined) {
        const body = Buffer.concat(this.#chunks);
        this.#chunks = [];
        return await this.#publish({ kind: 'buffer', body }, checksums, forbidOverwrite);
      }
      const staging = await this.#staging;
      await asOssError(this.#setup.ossBucket, () =>
        this.#ctx.client.send(
          new CompleteMultipartUploadCommand({
            Bucket: this.#setup.backendBucket,
            Key: staging.key,
            UploadId: staging.uploadId,
            MultipartUpload: { Parts: staging.parts },
          }),
        ),
      );
      completed = true;
      const staged: StagedBody = { kind: 'staged', key: staging.key, size: this.#total };
      return await this.#publish(staged, checksums, forbidOverwrite);
    } finally {
      this.#chunks = [];
      await destroyAndWaitForClose(this.sink);
      await this.#discardStaging(completed);
    }
  }

  /** Removes the staging upload (or, once completed, the staging object); failures are only reported. */
  async #discardStaging(completed: boolean): Promise<void> {
    if (this.#staging === undefined) return;
    await Promise.all(this.#inFlight);
    let staging: Staging;
    try {
      staging = await this.#staging;
    } catch {
      return; // never created
    }
    const bucket = this.#setup.backendBucket;
    if (!completed) return abortQuietly(this.#ctx, bucket, staging.key, staging.uploadId);
    try {
      await this.#ctx.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: staging.key }));
    } catch (error) {
      this.#ctx.warn('could not delete a staged body', { bucket, key: staging.key, err: error });
    }
  }
}
