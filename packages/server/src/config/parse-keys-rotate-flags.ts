// `upcall keys rotate` flags + UPCALL_* environment → validated settings. The key location is read from
// the same flags and variables as `upcall server` (server-flags.ts keysRotateFlags), so running the
// command in the server's environment rotates the key that server uses.
import { resolve } from 'node:path';
import { ConfigError } from './config-error.js';
import { FlagReader, integer, parseArgv, type Env } from './flag-reader.js';
import { parseDurationMs } from './parse-duration.js';
import { keysRotateFlags } from './server-flags.js';

export interface KeysRotateFlags {
  readonly help: boolean;
  readonly dataDir: string;
  /** Absolute path; undefined = `<dataDir>/callback-key.pem`. */
  readonly callbackPrivateKey: string | undefined;
  readonly callbackKeyBits: number;
  readonly gracePeriodMs: number;
}

export const defaultGracePeriodMs = 24 * 3_600_000;

export function parseKeysRotateFlags(argv: readonly string[], env: Env, cwd: string): KeysRotateFlags {
  const { values } = parseArgv(keysRotateFlags, argv);
  const reader = new FlagReader(keysRotateFlags, values, env);
  const file = reader.one<string | undefined>('callback-private-key', (text) => text, undefined);
  const flags: KeysRotateFlags = {
    help: values.help === true,
    dataDir: resolve(
      cwd,
      reader.one('data-dir', (text) => text, './.upcall'),
    ),
    callbackPrivateKey: file === undefined ? undefined : resolve(cwd, file),
    callbackKeyBits: reader.one('callback-key-bits', integer(1024, 16384), 2048),
    gracePeriodMs: reader.one('grace-period', parseDurationMs, defaultGracePeriodMs),
  };
  if (reader.problems.length > 0) throw new ConfigError(reader.problems);
  return flags;
}
