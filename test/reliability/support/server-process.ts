// A storage server as a child process, the way an operator runs it: `node packages/cli/bin/upcall.js
// server …` on 127.0.0.1 with an ephemeral port and its own data directory. The child's pid is the server
// process itself (bin/upcall.js registers tsx in-process), so /proc/<pid> describes the server. Ready =
// the start-up banner's `endpoint` line; every child is SIGKILLed if the test process exits first.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const upcallBin = fileURLToPath(new URL('../../../packages/cli/bin/upcall.js', import.meta.url));

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly exited: Promise<ProcessExit>;
  /** The banner plus the output lines `keepLine` accepted (stdout and stderr). */
  output(): string;
  isRunning(): boolean;
  /** Sends `signal` (default SIGKILL) and resolves once the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<ProcessExit>;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<ProcessExit>;
}

export interface UpcallServerOptions {
  readonly dataDir: string;
  readonly bucket: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly bucketAcl?: 'private' | 'public-read' | 'public-read-write';
  readonly logLevel?: string;
  /** UPCALL_FAULT_INJECTION for this start (packages/server/src/store/fault-injection.ts). */
  readonly faultInjection?: string;
  readonly extraArgs?: readonly string[];
  /** Output lines to keep after the banner (default: none but stderr). */
  readonly keepLine?: (line: string) => boolean;
  readonly startTimeoutMs?: number;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function killLiveChildrenOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

/** SIGKILLs every server child still running (for `after` hooks: a test that failed half-way). */
export async function killAllServers(): Promise<void> {
  const children = [...live];
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}

/** `upcall server` with the given data directory, bucket and credentials; resolves once it serves. */
export function startUpcallServer(options: UpcallServerOptions): Promise<ServerProcess> {
  const args = [
    upcallBin,
    'server',
    ...['--host', '127.0.0.1', '--port', '0', '--data-dir', options.dataDir],
    ...['--bucket', options.bucket, '--bucket-acl', options.bucketAcl ?? 'private'],
    ...['--access-key-id', options.accessKeyId, '--access-key-secret', options.accessKeySecret],
    ...['--callback-key-bits', '2048', '--log-level', options.logLevel ?? 'warn'],
    ...(options.extraArgs ?? []),
  ];
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.UPCALL_FAULT_INJECTION;
  if (options.faultInjection !== undefined) env.UPCALL_FAULT_INJECTION = options.faultInjection;
  return startServerProcess(args, env, options);
}

/** Spawns `node <args>` and waits for a banner line `endpoint <url>` on stdout. */
export async function startServerProcess(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: Pick<UpcallServerOptions, 'keepLine' | 'startTimeoutMs'> = {},
): Promise<ServerProcess> {
  killLiveChildrenOnExit();
  const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  const exited = new Promise<ProcessExit>((resolve) =>
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    }),
  );
  const keepLine = options.keepLine ?? (() => false);
  let banner = '';
  let kept = '';
  let pending = '';
  const onStdout = (chunk: Buffer): void => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!banner.includes('endpoint ') || line.startsWith('  ')) banner += `${line}\n`;
      else if (keepLine(line)) kept += `${line}\n`;
    }
  };
  child.stdout.on('data', onStdout);
  child.stderr.on('data', (chunk: Buffer) => (kept += chunk.toString('utf8')));
  const url = await waitForEndpoint(() => banner, exited, options.startTimeoutMs ?? 30_000).catch(
    (error: unknown) => {
      child.kill('SIGKILL');
      throw new Error(`${String(error)}\n--- output ---\n${banner}${kept}`);
    },
  );
  const kill = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<ProcessExit> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return {
    child,
    pid: child.pid!,
    port: Number(new URL(url).port),
    url,
    exited,
    output: () => banner + kept,
    isRunning: () => child.exitCode === null && child.signalCode === null,
    kill,
    stop: async (graceMs = 10_000) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await kill('SIGTERM');
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

async function waitForEndpoint(
  banner: () => string,
  exited: Promise<ProcessExit>,
  timeoutMs: number,
): Promise<string> {
  let exit: ProcessExit | undefined;
  void exited.then((result) => (exit = result));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const url = /^ {2}endpoint\s+(http:\/\/127\.0\.0\.1:\d+)\s*$/m.exec(banner())?.[1];
    if (url !== undefined) return url;
    if (exit !== undefined) throw new Error(`the server exited before it was ready: ${JSON.stringify(exit)}`);
    if (Date.now() > deadline) throw new Error(`the server was not ready within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const timeoutsEntry = fileURLToPath(new URL('./serve-with-timeouts.ts', import.meta.url));

/**
 * The server with ServerConfig fields `upcall server` has no flag for (headersTimeoutMs, idleTimeoutMs,
 * keepAliveTimeoutMs): serve-with-timeouts.ts, same startServer, in its own process.
 */
export function startServerWithConfig(config: Record<string, unknown>): Promise<ServerProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, RELIABILITY_SERVER_CONFIG: JSON.stringify(config) };
  delete env.UPCALL_FAULT_INJECTION;
  return startServerProcess(['--import', 'tsx', timeoutsEntry], env);
}
