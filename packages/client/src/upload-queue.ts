// Uploads many files with bounded concurrency, in the order they were added. Each item is a live
// object (state, progress, result) and every change is announced, so a UI can render from events.
import type { UploadProgress } from './progress-meter.js';
import type { RetryOptions } from './retry.js';
import type { TicketSource } from './ticket.js';
import type { Transport } from './transport.js';
import { uploadFile, type Sleep, type UploadFileOptions } from './upload-file.js';
import type { UploadResult } from './upload-result.js';

export type UploadItemState = 'queued' | 'uploading' | 'done';

export interface UploadItem {
  readonly id: string;
  readonly file: Blob & { name?: string };
  readonly state: UploadItemState;
  /** `attempt` is 0 until the first request starts. */
  readonly progress: UploadProgress;
  /** Set when `state` is 'done'. */
  readonly result: UploadResult | undefined;
  /** Queued: never starts; uploading: the request is cancelled. Either way the result is 'aborted'. */
  abort(): void;
}

export type UploadItemListener = (item: UploadItem) => void;

export interface UploadQueueOptions {
  readonly ticketSource: TicketSource;
  /** Uploads running at once (default 3). */
  readonly concurrency?: number;
  readonly transport?: Transport;
  readonly retry?: RetryOptions;
  readonly ticketMarginMs?: number;
  readonly now?: () => number;
  readonly sleep?: Sleep;
  readonly onItemChange?: UploadItemListener;
  /** Item ids (default `upload-1`, `upload-2`, …). */
  readonly createId?: () => string;
}

export interface UploadQueue {
  add(files: Iterable<Blob & { name?: string }>): UploadItem[];
  /** Every item ever added, in order. */
  items(): readonly UploadItem[];
  subscribe(listener: UploadItemListener): () => void;
  abortAll(): void;
  /** Resolves when nothing is queued or uploading (at once if that is already so). */
  onIdle(): Promise<void>;
}

interface MutableItem {
  readonly id: string;
  readonly file: Blob & { name?: string };
  state: UploadItemState;
  progress: UploadProgress;
  result: UploadResult | undefined;
  readonly controller: AbortController;
  abort(): void;
}

function checkConcurrency(concurrency: number): number {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be an integer ≥ 1, got ${concurrency}`);
  }
  return concurrency;
}

/** Options passed through to every uploadFile call. */
function buildUploadOptions(options: UploadQueueOptions): UploadFileOptions {
  const { transport, retry, ticketMarginMs, now, sleep } = options;
  return Object.fromEntries(
    Object.entries({ transport, retry, ticketMarginMs, now, sleep }).filter(
      ([, value]) => value !== undefined,
    ),
  );
}

class QueueState {
  readonly items: MutableItem[] = [];
  readonly listeners = new Set<UploadItemListener>();
  private idleWaiters: Array<() => void> = [];
  private active = 0;

  constructor(
    private readonly options: UploadQueueOptions,
    private readonly concurrency: number,
  ) {
    if (options.onItemChange) this.listeners.add(options.onItemChange);
  }

  announce(item: MutableItem): void {
    for (const listener of this.listeners) {
      try {
        listener(item);
      } catch (error) {
        // A broken listener must not wedge the queue; rethrown outside so it is still reported.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  isIdle(): boolean {
    return this.items.every((item) => item.state === 'done');
  }

  waitForIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  finish(item: MutableItem, result: UploadResult): void {
    item.state = 'done';
    item.result = result;
    this.announce(item);
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Starts queued items in insertion order while slots are free. */
  pump(): void {
    for (const item of this.items) {
      if (this.active >= this.concurrency) return;
      if (item.state === 'queued') this.start(item);
    }
  }

  private start(item: MutableItem): void {
    this.active += 1;
    item.state = 'uploading';
    this.announce(item);
    const settle = (result: UploadResult): void => {
      this.active -= 1;
      this.finish(item, result);
      this.pump();
    };
    uploadFile(item.file, this.options.ticketSource, {
      ...buildUploadOptions(this.options),
      signal: item.controller.signal,
      onProgress: (progress) => {
        item.progress = progress;
        this.announce(item);
      },
    }).then(settle, (error: unknown) => {
      // uploadFile rejects only for invalid options; report it on the item rather than lose it.
      const failure = error instanceof Error ? error : new Error(String(error));
      settle({ attempts: 0, status: 'failed', reason: 'unexpected', error: failure });
    });
  }
}

function createItem(state: QueueState, id: string, file: Blob & { name?: string }): MutableItem {
  const controller = new AbortController();
  const item: MutableItem = {
    id,
    file,
    state: 'queued',
    progress: { loaded: 0, total: file.size, bytesPerSecond: 0, attempt: 0 },
    result: undefined,
    controller,
    abort: () => {
      if (item.state === 'queued') state.finish(item, { attempts: 0, status: 'aborted' });
      else if (item.state === 'uploading') controller.abort();
    },
  };
  return item;
}

export function createUploadQueue(options: UploadQueueOptions): UploadQueue {
  const state = new QueueState(options, checkConcurrency(options.concurrency ?? 3));
  let counter = 0;
  const createId = options.createId ?? (() => `upload-${++counter}`);
  return {
    add(files) {
      const added = Array.from(files, (file) => createItem(state, createId(), file));
      state.items.push(...added);
      for (const item of added) state.announce(item);
      state.pump();
      return added;
    },
    items: () => state.items,
    subscribe(listener) {
      state.listeners.add(listener);
      return () => void state.listeners.delete(listener);
    },
    abortAll() {
      for (const item of [...state.items]) item.abort();
    },
    onIdle: () => state.waitForIdle(),
  };
}
