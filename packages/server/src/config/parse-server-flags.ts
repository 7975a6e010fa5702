// `upcall server` flags + UPCALL_* environment → typed, validated settings (flags win over environment,
// environment over defaults). Every problem is collected and reported at once as a ConfigError (exit 2).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isValidBucketName } from '../store/bucket-name.js';
import { ConfigError } from './config-error.js';
import { findFlag, serverFlags } from './server-flags.js';
import type { BucketAcl, CallbackTargetPolicy, LogLevel } from './server-config.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface ServerFlags {
  readonly help: boolean;
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly buckets: readonly string[];
  readonly bucketAcl: BucketAcl;
  /** Both set or both undefined (then credentials.json is used). */
  readonly accessKeyId: string | undefined;
  readonly accessKeySecret: string | undefined;
  /** '' = derive `http://<host>:<port>` once the port is known. */
  readonly publicEndpoint: string;
  readonly callbackTargets: CallbackTargetPolicy;
  readonly corsOrigins: readonly string[];
  readonly callbackKeyBits: number;
  readonly callbackTimeoutMs: number;
  readonly maxObjectBytes: number;
  readonly shutdownGraceMs: number;
  readonly logLevel: LogLevel;
}

type Parser<T> = (text: string) => T;

function oneOf<T extends string>(allowed: readonly T[]): Parser<T> {
  return (text) => {
    const found = allowed.find((candidate) => candidate === text);
    if (found === undefined) throw new Error(`must be one of ${allowed.join(', ')}`);
    return found;
  };
}

function integer(min: number, max: number): Parser<number> {
  return (text) => {
    const value = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(Number.isSafeInteger(value) && value >= min && value <= max)) {
      throw new Error(`must be an integer from ${min} to ${max}`);
    }
    return value;
  };
}

const parseHost: Parser<string> = (text) => {
  if (!/^[A-Za-z0-9.:-]+$/.test(text)) throw new Error('must be a host name or IP address');
  return text;
};

const parseBucket: Parser<string> = (text) => {
  if (!isValidBucketName(text)) throw new Error('must be 3-63 lower-case letters, digits or hyphens');
  return text;
};

const parseAccessKeyPart: Parser<string> = (text) => {
  if (!/^[\x21-\x7e]+$/.test(text) || text.includes(':'))
    throw new Error('must be printable ASCII without ":"');
  return text;
};

const parseCorsOrigin: Parser<string> = (text) => {
  if (text === '*' || text === 'none') return text;
  if (!/^https?:\/\/[^/\s?#]+\/?$/i.test(text) || text.split('*').length > 2) {
    throw new Error('must be *, none, or an origin like https://app.example.com (one * wildcard allowed)');
  }
  return text;
};

const parseEndpoint: Parser<string> = (text) => {
  const url = new URL(text);
  if (!/^https?:$/.test(url.protocol) || url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    throw new Error('must be an http(s) URL without path, query or fragment');
  }
  return url.origin;
};

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function parseArgv(argv: readonly string[]): ReturnType<typeof parseArgs> {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const spec of serverFlags) options[spec.name] = { type: 'string', multiple: spec.multiple };
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
}

/** Reads one flag: argv first, then its environment variable; records problems instead of throwing. */
class FlagReader {
  readonly problems: string[] = [];
  constructor(
    private readonly values: Record<string, string | boolean | Array<string | boolean> | undefined>,
    private readonly env: Env,
  ) {}

  texts(name: string): { texts: string[]; source: string } | undefined {
    const spec = findFlag(name);
    const given = this.values[name];
    if (given !== undefined) {
      return { texts: (Array.isArray(given) ? given : [given]).map(String), source: `--${name}` };
    }
    const fromEnv = this.env[spec.env];
    if (fromEnv === undefined || fromEnv.trim() === '') return undefined;
    const texts = spec.multiple ? fromEnv.split(',').map((part) => part.trim()) : [fromEnv.trim()];
    return { texts, source: spec.env };
  }

  many<T>(name: string, parse: Parser<T>, fallback: readonly T[]): readonly T[] {
    const found = this.texts(name);
    if (found === undefined) return fallback;
    const out: T[] = [];
    for (const text of found.texts) {
      try {
        out.push(parse(text));
      } catch (error) {
        this.problems.push(`${found.source}=${JSON.stringify(text)}: ${(error as Error).message}.`);
      }
    }
    return out;
  }

  one<T>(name: string, parse: Parser<T>, fallback: T): T {
    const values = this.many(name, parse, [fallback]);
    if (values.length > 1) this.problems.push(`--${name} may be given only once.`);
    return values[0] ?? fallback;
  }
}

function readCorsOrigins(reader: FlagReader, loopback: boolean): readonly string[] {
  const origins = reader.many('cors-origin', parseCorsOrigin, loopback ? ['*'] : ['none']);
  if (origins.includes('none') && origins.length > 1)
    reader.problems.push('--cors-origin none cannot be combined.');
  return origins.filter((origin) => origin !== 'none');
}

export function parseServerFlags(argv: readonly string[], env: Env, cwd: string): ServerFlags {
  const { values } = parseArgv(argv);
  const reader = new FlagReader(values, env);
  const host = reader.one('host', parseHost, '127.0.0.1');
  const loopback = isLoopback(host);
  const accessKeyId = reader.one<string | undefined>('access-key-id', parseAccessKeyPart, undefined);
  const accessKeySecret = reader.one<string | undefined>('access-key-secret', parseAccessKeyPart, undefined);
  if ((accessKeyId === undefined) !== (accessKeySecret === undefined)) {
    reader.problems.push(
      'Give both --access-key-id and --access-key-secret, or neither (a pair is generated).',
    );
  }
  const flags: ServerFlags = {
    help: values.help === true,
    host,
    port: reader.one('port', integer(0, 65535), 9000),
    dataDir: resolve(
      cwd,
      reader.one('data-dir', (text) => text, './.upcall'),
    ),
    buckets: [...new Set(reader.many('bucket', parseBucket, ['uploads']))],
    bucketAcl: reader.one(
      'bucket-acl',
      oneOf<BucketAcl>(['private', 'public-read', 'public-read-write']),
      'private',
    ),
    accessKeyId,
    accessKeySecret,
    publicEndpoint: reader.one('public-endpoint', parseEndpoint, ''),
    callbackTargets: reader.one(
      'callback-targets',
      oneOf<CallbackTargetPolicy>(['dev', 'public-only']),
      loopback ? 'dev' : 'public-only',
    ),
    corsOrigins: readCorsOrigins(reader, loopback),
    callbackKeyBits: reader.one('callback-key-bits', integer(1024, 16384), 2048),
    callbackTimeoutMs: reader.one('callback-timeout-ms', integer(100, 600_000), 5_000),
    maxObjectBytes: reader.one('max-object-bytes', integer(1, 5 * 1024 ** 4), 5 * 1024 ** 3),
    shutdownGraceMs: reader.one('shutdown-grace-ms', integer(0, 600_000), 10_000),
    logLevel: reader.one(
      'log-level',
      oneOf<LogLevel>(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
      'info',
    ),
  };
  if (reader.problems.length > 0) throw new ConfigError(reader.problems);
  return flags;
}
