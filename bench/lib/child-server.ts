// Runs a bench server in its own process, so its CPU time and peak RSS can be read from /proc apart
// from the load generator's. The child prints one line `READY <json>` on stdout when it listens.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { cpuProfDir, repoRoot } from './bench-settings.js';
import { bundleChildScript } from './bundle-child-script.js';

export interface ChildServer<Info> {
  readonly pid: number;
  readonly info: Info;
  stop(): Promise<void>;
}

export interface ChildServerOptions {
  /** Path relative to bench/servers/. */
  readonly script: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Name for the CPU profile when BENCH_CPU_PROF is set. */
  readonly profileName?: string;
  /** node flags the server runs with in production (Upcall: serverNodeFlags, ADR 0014). */
  readonly nodeFlags?: readonly string[];
}

/** `node` arguments: the child's production-style bundle (bundle-child-script.ts), not tsx. */
async function nodeArgs(options: ChildServerOptions): Promise<string[]> {
  const profile =
    cpuProfDir === undefined
      ? []
      : // One directory per server: every thread (hash worker) writes its own default-named file.
        ['--cpu-prof', `--cpu-prof-dir=${join(cpuProfDir, options.profileName ?? 'server')}`];
  const script = await bundleChildScript(join(repoRoot, 'bench', 'servers', options.script));
  // BENCH_NODE_ARGS: extra node/V8 flags for every server child (e.g. `--trace-gc`) when diagnosing.
  const extra = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((flag) => flag !== '');
  return [...profile, ...(options.nodeFlags ?? []), ...extra, script, ...(options.args ?? [])];
}

function waitReady<Info>(child: ChildProcess, script: string): Promise<Info> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const onExit = (code: number | null): void =>
      reject(new Error(`${script} exited (${code}) before READY`));
    child.once('exit', onExit);
    lines.on('line', (line) => {
      if (!line.startsWith('READY ')) return;
      child.off('exit', onExit);
      resolve(JSON.parse(line.slice(6)) as Info);
    });
  });
}

export async function startChildServer<Info>(options: ChildServerOptions): Promise<ChildServer<Info>> {
  const child = spawn(process.execPath, await nodeArgs(options), {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const info = await waitReady<Info>(child, options.script);
  const pid = child.pid ?? 0;
  return {
    pid,
    info,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM'); // the servers exit on SIGTERM (and write their CPU profile)
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
