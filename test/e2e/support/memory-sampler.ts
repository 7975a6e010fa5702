// Memory of the processes a multi-GB upload runs through (docs/large-uploads.md, "Memory with multi-GB
// files"). Processes: /proc/<pid>/status (VmRSS now; VmHWM = the kernel's own peak RSS, so a spike
// between two samples is not missed; writing 5 to /proc/<pid>/clear_refs resets it, Linux ≥ 4.0).
// The page's JavaScript memory: CDP Runtime.getHeapUsage, usedSize (V8 heap: objects, strings) PLUS
// backingStorageSize (ArrayBuffer backing stores, which live outside the V8 heap). Measured in
// Chromium 150: a page holding 512 MiB of `blob.slice().arrayBuffer()` results shows
// Performance.getMetrics JSHeapUsedSize (and so `performance.memory`, which is moreover bucketed unless
// --enable-precise-memory-info) unchanged at ~3 MiB, while backingStorageSize shows 512.7 MiB — the heap
// figure alone would not catch a client that reads the file into memory. Chromium's processes come
// from CDP SystemInfo.getProcessInfo; it runs with --no-sandbox, so those pids are this machine's pids.
import { readFile, statfs, writeFile } from 'node:fs/promises';
import type { Browser, CDPSession, Page } from 'playwright-core';

export interface ProcessMemory {
  readonly rssBytes: number;
  /** Peak RSS since the process started (VmHWM). */
  readonly peakRssBytes: number;
}

export interface ChromiumProcess {
  /** 'browser', 'renderer', 'GPU', 'utility', … */
  readonly type: string;
  readonly pid: number;
}

export interface MemorySampler {
  /** Stops sampling; the highest value seen and how many samples were taken. */
  stop(): Promise<{ readonly peakBytes: number; readonly samples: number }>;
}

function readStatusKibibytes(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (match === null) throw new Error(`/proc status has no ${field}`);
  return Number(match[1]);
}

export async function readProcessMemory(pid: number): Promise<ProcessMemory> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return {
    rssBytes: readStatusKibibytes(status, 'VmRSS') * 1024,
    peakRssBytes: readStatusKibibytes(status, 'VmHWM') * 1024,
  };
}

/** Bytes available to this (unprivileged) user on the file system holding `dir`. */
export async function readFreeDiskBytes(dir: string): Promise<number> {
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize;
}

export async function listChromiumProcesses(browser: Browser): Promise<ChromiumProcess[]> {
  const session = await browser.newBrowserCDPSession();
  try {
    const info = (await session.send('SystemInfo.getProcessInfo')) as {
      processInfo: Array<{ type: string; id: number }>;
    };
    return info.processInfo.map((process) => ({ type: process.type, pid: process.id }));
  } finally {
    await session.detach();
  }
}

/** Resets VmHWM of `pid`: the peak read afterwards is the peak since now. */
export async function resetPeakRss(pid: number): Promise<void> {
  await writeFile(`/proc/${pid}/clear_refs`, '5');
}

/**
 * The page's JavaScript memory in bytes: V8 heap in use plus ArrayBuffer backing stores (and external
 * strings), through `session` (openPageMemorySession).
 */
export async function readPageJsMemoryBytes(session: CDPSession): Promise<number> {
  const usage = await session.send('Runtime.getHeapUsage');
  // An older Chromium answers without it; NaN would pass no bound, but say why.
  if (typeof usage.backingStorageSize !== 'number')
    throw new Error('Runtime.getHeapUsage reported no backingStorageSize (Chromium too old)');
  return usage.usedSize + usage.backingStorageSize;
}

export async function openPageMemorySession(page: Page): Promise<CDPSession> {
  const session = await page.context().newCDPSession(page);
  await session.send('Runtime.enable');
  return session;
}

export interface PeakWatch {
  /** 'VmHWM' after a reset (exact), or 'sampled VmRSS' where /proc/<pid>/clear_refs is not writable. */
  readonly method: 'VmHWM' | 'sampled VmRSS';
  /**
   * Per pid in `pids` (default: the watched ones): peak RSS since the watch started minus its RSS then
   * (a pid that appeared since counts from 0). A process that has exited is left out.
   */
  readGrowthBytes(pids?: readonly number[]): Promise<Map<number, number>>;
}

/**
 * Notes the RSS of `pids` and resets their VmHWM, so later peaks are this interval's. Where the reset
 * is refused (a read-only /proc in some containers), VmRSS is sampled every `intervalMs` instead; the
 * samples stop at the first readGrowthBytes.
 */
export async function startPeakWatch(pids: readonly number[], intervalMs = 250): Promise<PeakWatch> {
  const before = new Map<number, number>();
  for (const pid of pids) before.set(pid, (await readProcessMemory(pid)).rssBytes);
  const reset = await Promise.all(
    pids.map((pid) =>
      resetPeakRss(pid).then(
        () => true,
        () => false,
      ),
    ),
  );
  const exact = reset.every(Boolean);
  const sampled = new Map<number, number>();
  const sampler = exact
    ? undefined
    : startMemorySampler(async () => {
        for (const pid of pids) {
          const memory = await readProcessMemory(pid).catch(() => undefined);
          if (memory !== undefined) sampled.set(pid, Math.max(sampled.get(pid) ?? 0, memory.rssBytes));
        }
        return 0;
      }, intervalMs);
  return {
    method: exact ? 'VmHWM' : 'sampled VmRSS',
    readGrowthBytes: async (now = pids) => {
      await sampler?.stop().catch(() => undefined);
      const growth = new Map<number, number>();
      for (const pid of now) {
        const memory = await readProcessMemory(pid).catch(() => undefined);
        if (memory === undefined) continue;
        const peak = exact ? memory.peakRssBytes : Math.max(sampled.get(pid) ?? 0, memory.rssBytes);
        growth.set(pid, peak - (before.get(pid) ?? 0));
      }
      return growth;
    },
  };
}

/**
 * Calls `read` every `intervalMs` (one call at a time) and keeps the highest value. A read that fails
 * (the renderer replaced by a reload, a process gone) is skipped, not fatal; if every read failed,
 * stop() rejects — a sampler that measured nothing must not pass a bound.
 */
export function startMemorySampler(read: () => Promise<number>, intervalMs = 500): MemorySampler {
  let peakBytes = 0;
  let samples = 0;
  let lastError: unknown;
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        peakBytes = Math.max(peakBytes, await read());
        samples += 1;
      } catch (error) {
        lastError = error;
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      if (samples === 0) throw new Error(`no memory sample succeeded: ${String(lastError)}`);
      return { peakBytes, samples };
    },
  };
}
