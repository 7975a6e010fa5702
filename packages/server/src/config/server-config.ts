// The one typed configuration object of the storage server, built from flags, environment and defaults,
// validated once (config/parse-server-flags.ts + config/resolve-server-config.ts) and printed with secrets
// masked. docs/configuration.md lists every flag, its environment variable and its default.
export type CallbackTargetPolicy = 'dev' | 'public-only';

export type BucketAcl = 'private' | 'public-read' | 'public-read-write';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly buckets: readonly string[];
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly callbackTargets: CallbackTargetPolicy;
  /** Allowed CORS origins; ['*'] = any origin (the development default); [] = CORS off. */
  readonly corsOrigins: readonly string[];
  /** Public base URL of this server as printed and used in PostResponse Location / key URL. */
  readonly publicEndpoint: string;
  readonly callbackTimeoutMs: number;
  readonly callbackKeyBits: number;
  readonly maxObjectBytes: number;
  readonly shutdownGraceMs: number;
  /** ACL given to configured buckets created at start-up (existing buckets keep theirs). Default private. */
  readonly bucketAcl?: BucketAcl;
  /** pino level. Default info. */
  readonly logLevel?: LogLevel;
  /** Time allowed for the request line and headers (threats §B9: 10–20 s). Default 20 000. */
  readonly headersTimeoutMs?: number;
  /** A socket with no bytes in either direction for this long is destroyed (threats §B9). Default 60 000. */
  readonly idleTimeoutMs?: number;
  /** Idle keep-alive sockets are closed after this (CVE-2019-5739). Default 5 000. */
  readonly keepAliveTimeoutMs?: number;
}
