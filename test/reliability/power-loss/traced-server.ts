// `upcall server` as a child process with fs-trace-shim.so preloaded: the shim is compiled here with the
// system C compiler (CI installs one via scripts/test-all.sh), and the server runs with
// UV_USE_IO_URING=0 so libuv's file I/O goes through its thread pool and libc, where the shim sees it
// (Node 20.20 / libuv 1.46 already keep io_uring off for files by default; the variable pins that, and
// the shim reports any io_uring ring as a blind spot so a change of default fails the audit).
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { repoRoot, startServerProcess, type ServerProcess } from '../support/server-process.js';

const run = promisify(execFile);
const shimSource = fileURLToPath(new URL('./fs-trace-shim.c', import.meta.url));

/** Builds the shim into `dir`; resolves undefined with the reason when there is no working C compiler. */
export async function buildTraceShim(dir: string): Promise<{ path: string } | { skip: string }> {
  const path = join(dir, 'fs-trace-shim.so');
  const errors: string[] = [];
  for (const compiler of ['cc', 'gcc', 'clang']) {
    try {
      await run(compiler, ['-shared', '-fPIC', '-O2', '-Wall', '-o', path, shimSource, '-ldl', '-lpthread']);
      return { path };
    } catch (error) {
      errors.push(`${compiler}: ${(error as Error).message.split('\n')[0] ?? ''}`);
    }
  }
  return { skip: `no C compiler could build the fs trace shim (${errors.join('; ')})` };
}

export interface TracedServerOptions {
  readonly shimPath: string;
  readonly tracePath: string;
  readonly dataDir: string;
  readonly bucket: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** UPCALL_FAULT_INJECTION, for the runs that must be caught (e.g. `data-fsync:skip`). */
  readonly faultInjection?: string;
}

/** `dev:ino` of a path, as the shim prints it (st_dev is the kernel's encoded device number). */
export function inodeOf(path: string): string {
  const stat = statSync(path);
  return `${stat.dev}:${stat.ino}`;
}

export function startTracedServer(options: TracedServerOptions): Promise<ServerProcess> {
  const args = [
    join(repoRoot, 'packages/cli/bin/upcall.js'),
    'server',
    ...['--host', '127.0.0.1', '--port', '0', '--data-dir', options.dataDir],
    ...['--bucket', options.bucket, '--bucket-acl', 'private'],
    ...['--access-key-id', options.accessKeyId, '--access-key-secret', options.accessKeySecret],
    ...['--callback-key-bits', '2048', '--log-level', 'warn'],
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LD_PRELOAD: options.shimPath,
    FS_TRACE_FILE: options.tracePath,
    UV_USE_IO_URING: '0',
  };
  delete env.UPCALL_FAULT_INJECTION;
  if (options.faultInjection !== undefined) env.UPCALL_FAULT_INJECTION = options.faultInjection;
  return startServerProcess(args, env);
}
