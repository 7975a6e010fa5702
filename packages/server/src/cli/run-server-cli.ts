// `upcall server …`: parse and validate once (bad values → message on stderr, exit code 2), start, print
// one banner, then run until SIGINT/SIGTERM: stop accepting, let in-flight requests finish for up to
// shutdownGraceMs, close the store, resolve 0. A second signal cuts the grace period short. SIGHUP
// re-reads the callback keys (watch-key-reload.ts).
import { pino, type Logger } from 'pino';
import { ConfigError } from '../config/config-error.js';
import { parseServerFlags, type Env, type ServerFlags } from '../config/parse-server-flags.js';
import { resolveServerConfig, type ResolvedServerConfig } from '../config/resolve-server-config.js';
import { toCallbackKeyRing } from '../keys/callback-key-ring.js';
import { startServer, type RunningServer } from '../server.js';
import { faultInjectionEnv } from '../store/fault-injection.js';
import type { BucketInfo } from '../store/object-store.js';
import { renderServerHelp } from './render-server-help.js';
import { renderStartBanner } from './render-start-banner.js';
import { watchKeyReload, type KeyReloadOutcome } from './watch-key-reload.js';

export interface CliIo {
  readonly env: Env;
  readonly cwd: string;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Where SIGINT/SIGTERM/SIGHUP arrive (the process, or an EventEmitter in tests). */
  readonly signals: Pick<NodeJS.EventEmitter, 'on' | 'removeListener'>;
  /** Told the outcome of every SIGHUP key reload (tests wait on it). */
  readonly onKeyReload?: (outcome: KeyReloadOutcome) => void;
}

export const exitOk = 0;
export const exitFailure = 1;
export const exitUsage = 2;

function processIo(): CliIo {
  return {
    env: process.env,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    signals: process,
  };
}

function reportConfigError(io: CliIo, error: ConfigError): number {
  const lines = error.problems.map((problem) => `  ${problem}`).join('\n');
  io.stderr.write(
    `upcall server: invalid configuration\n${lines}\nRun \`upcall server --help\` for the flags.\n`,
  );
  return exitUsage;
}

async function describeBuckets(running: RunningServer): Promise<BucketInfo[]> {
  const infos = await Promise.all(
    running.deps.config.buckets.map((name) => running.deps.store.getBucket(name)),
  );
  return infos.filter((info): info is BucketInfo => info !== undefined);
}

interface SignalWatch {
  /** Resolves with the first SIGINT/SIGTERM. */
  readonly first: Promise<string>;
  /** Called on every further signal. */
  onRepeat(listener: (signal: string) => void): void;
  dispose(): void;
}

/**
 * Installed before anything is started or printed: a signal that arrives while the server starts (or
 * right after the banner) must not hit the default action and kill the process mid-start.
 */
function watchSignals(io: CliIo): SignalWatch {
  let seen = 0;
  let repeat: (signal: string) => void = () => undefined;
  let resolveFirst: (signal: string) => void = () => undefined;
  const first = new Promise<string>((resolve) => (resolveFirst = resolve));
  const onSignal = (signal: string) => {
    seen += 1;
    if (seen === 1) resolveFirst(signal);
    else repeat(signal);
  };
  io.signals.on('SIGINT', onSignal);
  io.signals.on('SIGTERM', onSignal);
  return {
    first,
    onRepeat: (listener) => (repeat = listener),
    dispose: () => {
      io.signals.removeListener('SIGINT', onSignal);
      io.signals.removeListener('SIGTERM', onSignal);
    },
  };
}

async function serveUntilSignal(signals: SignalWatch, running: RunningServer, log: Logger): Promise<number> {
  const signal = await signals.first;
  log.info({ signal, graceMs: running.deps.config.shutdownGraceMs }, 'shutting down');
  signals.onRepeat((again) => {
    log.warn({ signal: again }, 'second signal: closing remaining connections now');
    running.server.closeAllConnections();
  });
  try {
    await running.close();
    return exitOk;
  } catch (error) {
    log.error({ err: error }, 'shutdown failed');
    return exitFailure;
  }
}

async function start(io: CliIo, flags: ServerFlags, log: Logger): Promise<RunningServer | number> {
  let resolved: ResolvedServerConfig;
  try {
    resolved = await resolveServerConfig(flags);
  } catch (error) {
    if (error instanceof ConfigError) return reportConfigError(io, error);
    throw error;
  }
  const running = await startServer(resolved.config, { log });
  const banner = renderStartBanner({
    config: running.deps.config,
    buckets: await describeBuckets(running),
    credentialsSource: resolved.credentialsSource,
    publicKeyUrl: running.deps.callbackKey.publicKeyUrl,
    callbackKeyCreated: running.callbackKeyCreated,
    callbackKeys: toCallbackKeyRing(running.deps.callbackKey).keySet,
    // The hook arms itself from the process environment (store/fault-injection.ts), not from io.env.
    faultInjection: process.env[faultInjectionEnv],
  });
  io.stdout.write(banner);
  return running;
}

/** Runs `upcall server` with `argv` (the arguments after `server`); resolves to the exit code. */
export async function runServerCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let flags: ServerFlags;
  try {
    flags = parseServerFlags(argv, io.env, io.cwd);
  } catch (error) {
    if (error instanceof ConfigError) return reportConfigError(io, error);
    throw error;
  }
  if (flags.help) {
    io.stdout.write(renderServerHelp());
    return exitOk;
  }
  const log = pino({ level: flags.logLevel });
  const signals = watchSignals(io);
  try {
    const running = await start(io, flags, log);
    if (typeof running === 'number') return running;
    const ring = toCallbackKeyRing(running.deps.callbackKey);
    const stopWatching = watchKeyReload(io.signals, ring, log, io.onKeyReload);
    try {
      return await serveUntilSignal(signals, running, log);
    } finally {
      stopWatching();
    }
  } catch (error) {
    if (error instanceof ConfigError) return reportConfigError(io, error);
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'EADDRINUSE' ? `port ${flags.port} on ${flags.host} is already in use` : String(error);
    io.stderr.write(`upcall server: could not start: ${message}\n`);
    log.error({ err: error }, 'start failed');
    return exitFailure;
  } finally {
    signals.dispose();
  }
}
