// The one typed configuration object of the storage server, built from flags, environment and defaults,
// validated once (config/parse-server-flags.ts + config/resolve-server-config.ts) and printed with secrets
// masked. docs/configuration.md lists every flag, its environment variable and its default.
import type { StoreConfig } from '../store/s3-store-config.js';

export type CallbackTargetPolicy = 'dev' | 'public-only';

export type BucketAcl = 'private' | 'public-read' | 'public-read-write';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** threats §B9: headers within 10–20 s (slowloris, CVE-2018-12122). */
export const defaultHeadersTimeoutMs = 20_000;
/** threats §B9: no bytes in either direction for 60 s ⇒ the socket is destroyed. */
export const defaultIdleTimeoutMs = 60_000;
/** CVE-2019-5739: idle keep-alive sockets close after 5 s. */
export const defaultKeepAliveTimeoutMs = 5_000;
/**
 * No upload cap unless configured (threats §C4 item 38: 503 "when a configured concurrency cap is hit").
 * Streaming already bounds memory per upload (docs/reliability.md: 1 000 concurrent uploads ≈ +240 MiB).
 */
export const defaultMaxConcurrentUploads = 0;

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
  /**
   * Public base URL of this server (`--public-url`) as printed and used in PostResponse Location, the
   * HostId of requests without a Host, and the default callback key URL.
   */
  readonly publicEndpoint: string;
  readonly callbackTimeoutMs: number;
  readonly callbackKeyBits: number;
  readonly maxObjectBytes: number;
  readonly shutdownGraceMs: number;
  /** ACL given to configured buckets created at start-up (existing buckets keep theirs). Default private. */
  readonly bucketAcl?: BucketAcl;
  /** pino level. Default info. */
  readonly logLevel?: LogLevel;
  /** The object store: undefined or `fs` = FsObjectStore in dataDir; `s3` = the gateway (docs/scale-out.md). */
  readonly store?: StoreConfig;
  /** Time allowed for the request line and headers (threats §B9: 10–20 s). Default 20 000. */
  readonly headersTimeoutMs?: number;
  /** A socket with no bytes in either direction for this long is destroyed (threats §B9). Default 60 000. */
  readonly idleTimeoutMs?: number;
  /** Idle keep-alive sockets are closed after this (CVE-2019-5739). Default 5 000. */
  readonly keepAliveTimeoutMs?: number;
  /**
   * In-flight upload requests (PostObject, PutObject, UploadPart, CompleteMultipartUpload) allowed at
   * once; more are answered 503 ServiceUnavailable without reading their body (threats §B9). Undefined or
   * 0 = no cap.
   */
  readonly maxConcurrentUploads?: number;
  /**
   * Minimum request-body throughput (threats §C4 item 36, http/guard-body-rate.ts): a body bringing less
   * than this many bytes per second over a whole window of bodyRateWindowMs is answered 400
   * RequestTimeout and its connection closed. Undefined = 500; 0 = no minimum.
   */
  readonly minBodyBytesPerSec?: number;
  /** The window (and grace period) of minBodyBytesPerSec. Undefined = 20 000. */
  readonly bodyRateWindowMs?: number;
  /**
   * PostObject: every form field except the signature fields, `policy`, `file` and `x-ignore-*` must be
   * named by a policy condition, else 403 AccessDenied (threats §C2 item 19; S3/MinIO's rule). Default
   * off: OSS accepts fields the policy does not mention (oss-protocol §4.3).
   */
  readonly strictPostPolicy?: boolean;
  /**
   * GetObject of an active content type (HTML, SVG, XML, JavaScript…, operations/active-content.ts):
   * `attachment` (default) forces `Content-Disposition: attachment` so a browser downloads rather than
   * renders it on this origin (threats §C2 item 26); `inline` serves the stored headers unchanged.
   */
  readonly activeContentDisposition?: 'attachment' | 'inline';
  /**
   * Multipart uploads initiated longer ago than this are aborted (threats §C7 item 60), swept at start
   * and every min(1 h, age / 4). Undefined = 7 days; 0 = never.
   */
  readonly multipartMaxAgeMs?: number;
  /**
   * Operator-provided PEM RSA private key signing callbacks (never written by the server). Undefined =
   * `<dataDir>/callback-key.pem`, generated on first start. Retired keys are read from the file beside it
   * (keys/retired-callback-keys.ts).
   */
  readonly callbackPrivateKeyFile?: string;
  /**
   * URL advertised in x-oss-pub-key-url (oss-protocol §9.2); `{fingerprint}` is replaced by the current
   * key's fingerprint. Undefined = `<publicEndpoint>/_upcall/callback-public-key-<fingerprint>.pem`.
   */
  readonly callbackKeyUrl?: string;
  /**
   * Development: answer `GET http://gosspublic.alicdn.com/upcall_dev_key.pem` sent to this server as an
   * HTTP proxy, refuse every other proxy request, and advertise that URL (http/dev-key-proxy.ts). Default off.
   */
  readonly devKeyProxy?: boolean;
  /**
   * The local STS (`/_upcall/sts`, docs/adr/0009-local-sts.md): the 32-byte key sealing SecurityTokens and
   * deriving temporary secrets (shared by every instance), and the longest session it grants (seconds,
   * default 3600). Undefined = STS off: no AssumeRole, no `STS.…` keys accepted.
   */
  readonly sts?: { readonly key: Buffer; readonly maxDurationSeconds?: number };
}
