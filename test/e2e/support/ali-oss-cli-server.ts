// `upcall server` started the way a user starts it: `node packages/cli/bin/upcall.js server --port 0
// --data-dir … --access-key-id … --access-key-secret …`, nothing else on the command line and no UPCALL_*
// variable inherited from the test environment (so defaults — host 127.0.0.1, bucket `uploads`, a fresh
// callback key, log level info — are the ones a user gets). Ready = the banner's last row has been printed;
// the banner rows `  label   value` are parsed into a map.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const upcallBin = fileURLToPath(new URL('../../../packages/cli/bin/upcall.js', import.meta.url));

/** The banner's last row (render-start-banner.ts); once it is out, every row before it is too. */
const lastBannerRow = /^ {2}cors origins {2,}\S.*\n/m;
const maxKeptOutputChars = 200_000;

export interface CliServerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface AliOssCliServer {
  readonly child: ChildProcess;
  /** Banner rows by label: `endpoint`, `access key id`, `callback key URL`, `buckets`, … */
  readonly banner: ReadonlyMap<string, string>;
  /** The banner's `endpoint` (`http://127.0.0.1:<port>`). */
  readonly endpoint: string;
  readonly port: number;
  /** Everything the child printed so far (stdout and stderr, the first 200 000 characters). */
  output(): string;
  /** SIGTERM, then SIGKILL if it is still running after `graceMs`; resolves with how it exited. */
  stop(graceMs?: number): Promise<CliServerExit>;
}

export interface AliOssCliServerOptions {
  readonly dataDir: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly startTimeoutMs?: number;
  /** The script node runs: default the development bin; the production bundle (scripts/build.mjs) too. */
  readonly script?: string;
}

/** Banner rows `  label   value` (label and value separated by two or more spaces). */
export function parseBannerRows(text: string): Map<string, string> {
  const rows = text.split('\n').map((line) => /^ {2}(\S.*?) {2,}(\S.*)$/.exec(line));
  return new Map(rows.filter((row) => row !== null).map((row) => [row[1]!, row[2]!]));
}

function userEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('UPCALL_')) env[name] = value;
  return env;
}

/** Spawns the server and resolves once its banner is complete; rejects (with its output) otherwise. */
export async function startAliOssCliServer(options: AliOssCliServerOptions): Promise<AliOssCliServer> {
  const args = [options.script ?? upcallBin, 'server', '--port', '0', '--data-dir', options.dataDir];
  args.push('--access-key-id', options.accessKeyId, '--access-key-secret', options.accessKeySecret);
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: userEnvironment(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<CliServerExit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let text = '';
  const keep = (chunk: Buffer): void => {
    if (text.length < maxKeptOutputChars) text += chunk.toString('utf8');
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  try {
    await waitForBanner(() => text, exited, options.startTimeoutMs ?? 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${String(error)}\n--- output ---\n${text}`);
  }
  const banner = parseBannerRows(text);
  const endpoint = banner.get('endpoint') ?? '';
  return {
    child,
    banner,
    endpoint,
    port: Number(new URL(endpoint).port),
    output: () => text,
    stop: async (graceMs = 10_000) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
        process.removeListener('exit', killOnExit);
      }
    },
  };
}

async function waitForBanner(
  text: () => string,
  exited: Promise<CliServerExit>,
  timeoutMs: number,
): Promise<void> {
  let exit: CliServerExit | undefined;
  void exited.then((result) => (exit = result));
  const deadline = Date.now() + timeoutMs;
  while (!lastBannerRow.test(text())) {
    if (exit !== undefined)
      throw new Error(`upcall server exited before its banner: ${JSON.stringify(exit)}`);
    if (Date.now() > deadline) throw new Error(`upcall server printed no banner within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
