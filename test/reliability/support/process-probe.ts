// What the exhaustion tests watch in the server process (Linux /proc): resident memory, open file
// descriptors, and the store's files (threats §C4 "keeps serving": fds and RSS back to baseline).
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** VmRSS of `pid` in bytes. */
export async function readRssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS for ${pid}`);
  return Number(kib) * 1024;
}

/**
 * Open descriptors of `pid` other than directories: the fs store keeps one descriptor per directory it
 * fsyncs (store/fs-dir-handles.ts, bounded), which a burst of uploads into new shards adds by design.
 * Files, sockets and pipes are what must return to baseline.
 */
export async function countOpenFds(pid: number): Promise<number> {
  const entries = await readdir(`/proc/${pid}/fd`);
  const kinds = await Promise.all(
    entries.map((fd) =>
      stat(join(`/proc/${pid}/fd`, fd)).then(
        (info) => info.isDirectory(),
        () => false,
      ),
    ),
  );
  return kinds.filter((isDirectory) => !isDirectory).length;
}

export interface RssSampler {
  /** Stops sampling; resolves with the highest RSS seen (bytes) and the number of samples. */
  stop(): Promise<{ peakBytes: number; samples: number }>;
}

/** Samples RSS every `intervalMs` until stopped (a sample that fails because the process ended is skipped). */
export function sampleRss(pid: number, intervalMs = 50): RssSampler {
  let peakBytes = 0;
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const rss = await readRssBytes(pid).catch(() => 0);
      peakBytes = Math.max(peakBytes, rss);
      samples += 1;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { peakBytes, samples };
    },
  };
}

export interface DiskUsage {
  readonly tmpFiles: number;
  readonly blobFiles: number;
  /** Bytes in tmp/, blobs/ and parts/ (the index and its WAL excluded: SQLite keeps their size). */
  readonly dataBytes: number;
}

async function sumDir(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = await sumDir(path);
      files += inner.files;
      bytes += inner.bytes;
    } else {
      files += 1;
      bytes += (await stat(path).catch(() => ({ size: 0 }))).size;
    }
  }
  return { files, bytes };
}

export async function readDiskUsage(dataDir: string): Promise<DiskUsage> {
  const [tmp, blobs, parts] = await Promise.all(
    ['tmp', 'blobs', 'parts'].map((name) => sumDir(join(dataDir, name))),
  );
  return {
    tmpFiles: tmp!.files,
    blobFiles: blobs!.files,
    dataBytes: tmp!.bytes + blobs!.bytes + parts!.bytes,
  };
}

/** Polls `probe` until `done` accepts its value or `timeoutMs` passes; returns the last value. */
export async function waitUntil<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const mib = 1024 * 1024;

export function formatMiB(bytes: number): string {
  return `${(bytes / mib).toFixed(1)} MiB`;
}
