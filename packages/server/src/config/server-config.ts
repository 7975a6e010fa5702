// The one typed configuration object of the storage server, built from flags, environment and defaults,
// validated once (see config/load-config.ts, owned by the HTTP core) and printed with secrets masked.
export type CallbackTargetPolicy = 'dev' | 'public-only';

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly buckets: readonly string[];
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly callbackTargets: CallbackTargetPolicy;
  /** Allowed CORS origins; ['*'] = any origin (the development default). */
  readonly corsOrigins: readonly string[];
  /** Public base URL of this server as printed and used in PostResponse Location / key URL. */
  readonly publicEndpoint: string;
  readonly callbackTimeoutMs: number;
  readonly callbackKeyBits: number;
  readonly maxObjectBytes: number;
  readonly shutdownGraceMs: number;
}
