// `upcall keys rotate …`: replace the callback signing key, keep the old public key published for the
// grace period (keys/rotate-callback-key.ts), print what changed and what to do next. Bad flags or a
// missing key file → message on stderr, exit code 2.
import { ConfigError } from '../config/config-error.js';
import type { Env } from '../config/flag-reader.js';
import { parseKeysRotateFlags, type KeysRotateFlags } from '../config/parse-keys-rotate-flags.js';
import { resolveCallbackKeyFile } from '../keys/callback-key-ring.js';
import { rotateCallbackKey, type CallbackKeyRotation } from '../keys/rotate-callback-key.js';
import { renderKeysHelp } from './render-server-help.js';

export interface KeysCliIo {
  readonly env: Env;
  readonly cwd: string;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Injected clock (ms since epoch) for the retirement time. */
  readonly now?: () => number;
}

function processIo(): KeysCliIo {
  return { env: process.env, cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr };
}

function reportConfigError(io: KeysCliIo, error: ConfigError): number {
  const lines = error.problems.map((problem) => `  ${problem}`).join('\n');
  io.stderr.write(`upcall keys rotate: cannot rotate\n${lines}\nRun \`upcall keys --help\` for the flags.\n`);
  return 2;
}

export function renderRotation(rotation: CallbackKeyRotation): string {
  const until = (ms: number) => new Date(ms).toISOString();
  const rows: Array<[string, string]> = [
    ['key file', rotation.keyFile],
    ['new key', rotation.newFingerprint],
    [
      'retired key',
      `${rotation.retired.fingerprint}  (served until ${until(rotation.retired.servedUntilMs)})`,
    ],
    ['retired keys file', rotation.retiredKeysFile],
    ...rotation.stillServed
      .filter((key) => key.fingerprint !== rotation.retired.fingerprint)
      .map((key): [string, string] => [
        'also served',
        `${key.fingerprint}  (until ${until(key.servedUntilMs)})`,
      ]),
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const lines = rows.map(([label, value]) => `  ${label.padEnd(width)}${value}`);
  return (
    `Callback signing key rotated\n${lines.join('\n')}\n` +
    'Restart every server that uses this key file, or send it SIGHUP, to sign with the new key.\n'
  );
}

async function rotate(flags: KeysRotateFlags, io: KeysCliIo): Promise<number> {
  const rotation = await rotateCallbackKey({
    keyFile: resolveCallbackKeyFile({
      dataDir: flags.dataDir,
      callbackPrivateKeyFile: flags.callbackPrivateKey,
    }),
    bits: flags.callbackKeyBits,
    gracePeriodMs: flags.gracePeriodMs,
    nowMs: (io.now ?? Date.now)(),
  });
  io.stdout.write(renderRotation(rotation));
  return 0;
}

/** Runs `upcall keys` with `argv` (the arguments after `keys`); resolves to the exit code. */
export async function runKeysCli(argv: readonly string[], io: KeysCliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    io.stdout.write(renderKeysHelp());
    return 0;
  }
  if (command !== 'rotate') {
    const problem = command === undefined ? 'missing command' : `unknown command ${JSON.stringify(command)}`;
    io.stderr.write(`upcall keys: ${problem}\n${renderKeysHelp()}`);
    return 2;
  }
  try {
    const flags = parseKeysRotateFlags(rest, io.env, io.cwd);
    if (flags.help) {
      io.stdout.write(renderKeysHelp());
      return 0;
    }
    return await rotate(flags, io);
  } catch (error) {
    if (error instanceof ConfigError) return reportConfigError(io, error);
    // A read-only key location (a mounted secret, say): say so plainly instead of a stack trace.
    if (typeof (error as NodeJS.ErrnoException).code !== 'string') throw error;
    io.stderr.write(`upcall keys rotate: could not rotate the key: ${(error as Error).message}\n`);
    return 1;
  }
}
