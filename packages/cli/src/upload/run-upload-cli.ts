// `upcall upload FILE... --ticket-url URL`: the browser's upload flow from a terminal or a script. The
// flow itself is @upcall/client's, unchanged (fetchTicketSource → createUploadQueue → uploadFile, with
// its retries, ticket reuse and typed results); this file only adds what a command needs: files from
// disk (open-upload-file.ts), a node:http transport with live progress, Ctrl-C, output and exit status.
import {
  createUploadQueue,
  fetchTicketSource,
  type RetryOptions,
  type UploadItem,
  type UploadResult,
} from '@upcall/client';
import { createNodeHttpTransport } from './create-node-http-transport.js';
import { createProgressView, type ProgressView } from './create-progress-view.js';
import { openUploadFile } from './open-upload-file.js';
import { parseUploadArgs, uploadUsage, type UploadCliOptions } from './parse-upload-args.js';
import {
  computeExitCode,
  renderResultJson,
  renderResultText,
  renderStatusWord,
} from './render-upload-result.js';
import { UploadUsageError } from './upload-usage-error.js';

export interface UploadCliIo {
  readonly stdout: NodeJS.WritableStream;
  /** Progress goes here; redrawn in place when `isTTY`, `columns` wide. */
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborts every upload like Ctrl-C does (for embedding; the process's SIGINT is handled as well). */
  readonly signal?: AbortSignal;
  /** Clock in ms (default Date.now): progress rate and redraw pacing. */
  readonly now?: () => number;
  /** Backoff tuning (`--retries` sets the number of attempts). */
  readonly retry?: Omit<RetryOptions, 'maxAttempts'>;
}

const processIo: UploadCliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env };

function buildRetry(options: UploadCliOptions, io: UploadCliIo): RetryOptions {
  return {
    ...io.retry,
    ...(options.retries === undefined ? {} : { maxAttempts: options.retries + 1 }),
  };
}

/** Feeds queue events to the progress view (files that never started get no line). */
function trackItems(view: ProgressView) {
  return (item: UploadItem): void => {
    const index = Number(item.id);
    if (item.progress.attempt === 0) return;
    if (item.state === 'uploading') view.update(index, item.progress);
    if (item.state === 'done' && item.result)
      view.finish(index, item.progress, renderStatusWord(item.result));
  };
}

/** Every item is done once the queue is idle; `aborted` stands in only if that ever broke. */
function readResults(items: readonly UploadItem[]): UploadResult[] {
  return items.map((item) => item.result ?? { attempts: 0, status: 'aborted' });
}

/** Calls `interrupt` on the first Ctrl-C or when `io.signal` fires; returns the undo. */
function listenForInterrupt(io: UploadCliIo, interrupt: () => void): () => void {
  process.once('SIGINT', interrupt); // a second Ctrl-C gets Node's default: exit at once
  io.signal?.addEventListener('abort', interrupt, { once: true });
  if (io.signal?.aborted) interrupt();
  return () => {
    process.off('SIGINT', interrupt);
    io.signal?.removeEventListener('abort', interrupt);
  };
}

/** Runs the queue until every file has a result; SIGINT or `io.signal` aborts what is in flight. */
async function uploadAll(options: UploadCliOptions, files: File[], io: UploadCliIo) {
  const now = io.now ?? Date.now;
  const view = createProgressView({
    names: options.files,
    stream: io.stderr,
    tty: io.stderr.isTTY === true,
    columns: io.stderr.columns ?? 80,
    now,
    quiet: options.quiet,
  });
  const transport = createNodeHttpTransport({ baseUrl: options.ticketUrl });
  let nextId = 0;
  const queue = createUploadQueue({
    ticketSource: fetchTicketSource(options.ticketUrl, {
      headers: options.headers.map(([name, value]): [string, string] => [name, value]),
    }),
    transport,
    concurrency: options.concurrency,
    retry: buildRetry(options, io),
    now,
    createId: () => String(nextId++), // the id is the file's position on the command line
    onItemChange: trackItems(view),
  });
  let interrupted = false;
  queue.add(files);
  const stopListening = listenForInterrupt(io, () => {
    interrupted = true;
    queue.abortAll();
  });
  try {
    await queue.onIdle();
  } finally {
    stopListening();
    transport.close();
    view.close();
  }
  return { results: readResults(queue.items()), interrupted };
}

function printResults(options: UploadCliOptions, results: readonly UploadResult[], io: UploadCliIo): void {
  const render = options.json ? renderResultJson : renderResultText;
  io.stdout.write(results.map((result, index) => render(options.files[index] ?? '', result)).join(''));
}

/**
 * `upcall upload` with `argv` after the command name. Resolves to the exit status: 0 all confirmed,
 * 3 some stored-unconfirmed (none rejected), 1 some rejected or failed, 2 usage error, 130 interrupted.
 */
export async function runUploadCli(argv: readonly string[], io: UploadCliIo = processIo): Promise<number> {
  let options: UploadCliOptions;
  let files: File[];
  try {
    options = parseUploadArgs(argv, io.env);
    if (options.help) {
      io.stdout.write(uploadUsage);
      return 0;
    }
    files = await Promise.all(options.files.map((path) => openUploadFile(path)));
  } catch (error) {
    if (!(error instanceof UploadUsageError)) throw error;
    io.stderr.write(`upcall upload: ${error.message}\nRun 'upcall upload --help' for usage.\n`);
    return 2;
  }
  const { results, interrupted } = await uploadAll(options, files, io);
  printResults(options, results, io);
  if (interrupted) io.stderr.write('upcall upload: interrupted\n');
  return computeExitCode(results, interrupted);
}
