// wrk as the small-request load generator (perf-notes §5: wrk and autocannon agree; wrk is C and needs
// less CPU, which matters with server, app and load sharing 2 cores). Installed from Debian if missing.
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './bench-settings.js';
import { readCpuSeconds } from './proc-metrics.js';

export interface WrkResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly socketErrors: string;
  readonly wrkCpuSeconds: number;
}

/** True when wrk is usable (installing it with apt-get when absent). */
export function ensureWrk(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return true; // wrk --version exits 1
    try {
      execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'wrk'], {
        stdio: 'ignore',
        timeout: 300_000,
      });
    } catch {
      return false;
    }
  }
  return true;
}

function toMs(text: string | undefined): number {
  const match = /([\d.]+)(us|ms|s)/.exec(text ?? '');
  if (match === null) return Number.NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

export function parseWrkOutput(text: string): Omit<WrkResult, 'wrkCpuSeconds'> {
  return {
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? Number.NaN),
    p50Ms: toMs(/^\s+50%\s+(\S+)/m.exec(text)?.[1]),
    p99Ms: toMs(/^\s+99%\s+(\S+)/m.exec(text)?.[1]),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(text)?.[1] ?? 0),
    socketErrors: /Socket errors:(.*)/.exec(text)?.[1]?.trim() ?? 'none',
  };
}

export function runWrk(input: {
  url: string;
  seconds: number;
  connections: number;
  luaArgs: string[];
}): Promise<WrkResult> {
  const script = join(repoRoot, 'bench', 'load', 'post-bodies.lua');
  const args = [
    '-t1',
    `-c${input.connections}`,
    `-d${input.seconds}s`,
    '--latency',
    '-s',
    script,
    input.url,
    '--',
    ...input.luaArgs,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    let cpu = 0;
    const sampler = setInterval(() => {
      const seconds = readCpuSeconds(child.pid ?? 0);
      if (Number.isFinite(seconds)) cpu = seconds;
    }, 250);
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => {
      clearInterval(sampler);
      resolve({ ...parseWrkOutput(output), wrkCpuSeconds: cpu });
    });
  });
}
