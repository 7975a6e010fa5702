// `upcall server` flags + UPCALL_* environment → typed, validated settings (flags win over environment,
// environment over defaults). Every problem is collected and reported at once as a ConfigError (exit 2).
import { resolve } from 'node:path';
import { defaultMultipartMaxAgeMs } from '../operations/multipart/start-multipart-expiry.js';
import { defaultBodyRateWindowMs, defaultMinBodyBytesPerSec } from '../http/guard-body-rate.js';
import { isValidBucketName } from '../store/bucket-name.js';
import { readStoreFlags, type StoreConfig } from '../store/s3-store-config.js';
import { readStsFlags, type StsFlags } from '../sts/read-sts-flags.js';
import { ConfigError } from './config-error.js';
import { FlagReader, integer, oneOf, parseArgv, type Env, type Parser } from './flag-reader.js';
import { parseDurationMs } from './parse-duration.js';
import { serverFlags } from './server-flags.js';
import {
  defaultHeadersTimeoutMs,
  defaultIdleTimeoutMs,
  defaultKeepAliveTimeoutMs,
  defaultMaxConcurrentUploads,
  type BucketAcl,
  type CallbackTargetPolicy,
  type LogLevel,
} from './server-config.js';

export type { Env };

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
  /** `--public-url` (alias `--public-endpoint`); '' = derive `http://<host>:<port>` once the port is known. */
  readonly publicEndpoint: string;
  readonly callbackTargets: CallbackTargetPolicy;
  readonly corsOrigins: readonly string[];
  /** Absolute path of an operator-provided signing key; undefined = `<dataDir>/callback-key.pem`. */
  readonly callbackPrivateKey: string | undefined;
  /** Advertised key URL template (`{fingerprint}` allowed); undefined = this server's own key URL. */
  readonly callbackKeyUrl: string | undefined;
  readonly devKeyProxy: boolean;
  readonly callbackKeyBits: number;
  readonly callbackTimeoutMs: number;
  readonly maxObjectBytes: number;
  readonly shutdownGraceMs: number;
  readonly headersTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  /** 0 = no cap. */
  readonly maxConcurrentUploads: number;
  /** 0 = uploads never expire. */
  readonly multipartMaxAgeMs: number;
  /** 0 = no minimum body rate. */
  readonly minBodyBytesPerSec: number;
  readonly bodyRateWindowMs: number;
  readonly strictPostPolicy: boolean;
  readonly activeContentDisposition: 'attachment' | 'inline';
  readonly logLevel: LogLevel;
  /** `--store` and its `--s3-*` flags (store/s3-store-config.ts). */
  readonly store: StoreConfig;
  /** `--sts-*` (sts/read-sts-flags.ts). */
  readonly sts: StsFlags;
}

/** What `{fingerprint}` stands for while a key URL template is validated (32 hex digits). */
const sampleFingerprint = '0'.repeat(32);

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

/**
 * The advertised key URL must already be canonical (WHATWG): verifiers such as app-kit compare the
 * decoded x-oss-pub-key-url with their configured URL character for character (threats §B3).
 */
const parseKeyUrl: Parser<string> = (text) => {
  const sample = text.replaceAll('{fingerprint}', sampleFingerprint);
  const url = new URL(sample);
  if (!/^https?:$/.test(url.protocol) || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new Error('must be an http(s) URL without credentials or fragment');
  }
  if (url.href !== sample) throw new Error(`must be in canonical form (did you mean ${url.href}?)`);
  return text;
};

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function readCorsOrigins(reader: FlagReader, loopback: boolean): readonly string[] {
  const origins = reader.many('cors-origin', parseCorsOrigin, loopback ? ['*'] : ['none']);
  if (origins.includes('none') && origins.length > 1)
    reader.problems.push('--cors-origin none cannot be combined.');
  return origins.filter((origin) => origin !== 'none');
}

type KeyFlags = Pick<
  ServerFlags,
  'callbackPrivateKey' | 'callbackKeyUrl' | 'devKeyProxy' | 'callbackKeyBits'
>;

function readKeyFlags(reader: FlagReader, cwd: string): KeyFlags {
  const file = reader.one<string | undefined>('callback-private-key', (text) => text, undefined);
  const callbackKeyUrl = reader.one<string | undefined>('callback-key-url', parseKeyUrl, undefined);
  const devKeyProxy = reader.switch('dev-key-proxy');
  if (devKeyProxy && callbackKeyUrl !== undefined) {
    reader.problems.push(
      '--dev-key-proxy advertises its own key URL; it cannot be combined with --callback-key-url.',
    );
  }
  return {
    callbackPrivateKey: file === undefined ? undefined : resolve(cwd, file),
    callbackKeyUrl,
    devKeyProxy,
    callbackKeyBits: reader.one('callback-key-bits', integer(1024, 16384), 2048),
  };
}

function readAccessKey(reader: FlagReader): Pick<ServerFlags, 'accessKeyId' | 'accessKeySecret'> {
  const accessKeyId = reader.one<string | undefined>('access-key-id', parseAccessKeyPart, undefined);
  const accessKeySecret = reader.one<string | undefined>('access-key-secret', parseAccessKeyPart, undefined);
  if ((accessKeyId === undefined) !== (accessKeySecret === undefined)) {
    reader.problems.push(
      'Give both --access-key-id and --access-key-secret, or neither (a pair is generated).',
    );
  }
  return { accessKeyId, accessKeySecret };
}

type LimitFlags = Pick<
  ServerFlags,
  | 'callbackTimeoutMs'
  | 'maxObjectBytes'
  | 'shutdownGraceMs'
  | 'headersTimeoutMs'
  | 'idleTimeoutMs'
  | 'keepAliveTimeoutMs'
  | 'maxConcurrentUploads'
  | 'multipartMaxAgeMs'
  | 'minBodyBytesPerSec'
  | 'bodyRateWindowMs'
>;

/**
 * Timeouts and caps. None of the HTTP timeouts may be 0: Node reads 0 as "never", which would reopen
 * slowloris and idle-socket exhaustion (threats §B9).
 */
function readLimitFlags(reader: FlagReader): LimitFlags {
  return {
    callbackTimeoutMs: reader.one('callback-timeout-ms', integer(100, 600_000), 5_000),
    maxObjectBytes: reader.one('max-object-bytes', integer(1, 5 * 1024 ** 4), 5 * 1024 ** 3),
    shutdownGraceMs: reader.one('shutdown-grace-ms', integer(0, 600_000), 10_000),
    headersTimeoutMs: reader.one('headers-timeout-ms', integer(1_000, 600_000), defaultHeadersTimeoutMs),
    idleTimeoutMs: reader.one('idle-timeout-ms', integer(1_000, 3_600_000), defaultIdleTimeoutMs),
    keepAliveTimeoutMs: reader.one('keep-alive-timeout-ms', integer(1, 600_000), defaultKeepAliveTimeoutMs),
    maxConcurrentUploads: reader.one(
      'max-concurrent-uploads',
      integer(0, 1_000_000),
      defaultMaxConcurrentUploads,
    ),
    multipartMaxAgeMs: reader.one('multipart-max-age', parseDurationMs, defaultMultipartMaxAgeMs),
    minBodyBytesPerSec: reader.one('min-body-rate', integer(0, 1_000_000_000), defaultMinBodyBytesPerSec),
    bodyRateWindowMs: reader.one('min-body-rate-window-ms', integer(200, 600_000), defaultBodyRateWindowMs),
  };
}

export function parseServerFlags(argv: readonly string[], env: Env, cwd: string): ServerFlags {
  const { values } = parseArgv(serverFlags, argv);
  const reader = new FlagReader(serverFlags, values, env);
  const host = reader.one('host', parseHost, '127.0.0.1');
  const loopback = isLoopback(host);
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
    ...readAccessKey(reader),
    publicEndpoint: reader.one('public-url', parseEndpoint, ''),
    callbackTargets: reader.one(
      'callback-targets',
      oneOf<CallbackTargetPolicy>(['dev', 'public-only']),
      loopback ? 'dev' : 'public-only',
    ),
    corsOrigins: readCorsOrigins(reader, loopback),
    ...readKeyFlags(reader, cwd),
    ...readLimitFlags(reader),
    strictPostPolicy: reader.switch('strict-post-policy'),
    activeContentDisposition: reader.one(
      'active-content-disposition',
      oneOf<'attachment' | 'inline'>(['attachment', 'inline']),
      'attachment',
    ),
    logLevel: reader.one(
      'log-level',
      oneOf<LogLevel>(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
      'info',
    ),
    store: readStoreFlags(reader, env),
    sts: readStsFlags(reader, cwd),
  };
  if (reader.problems.length > 0) throw new ConfigError(reader.problems);
  return flags;
}
