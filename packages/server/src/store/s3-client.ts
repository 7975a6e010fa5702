// The AWS SDK v3 client the gateway store talks to its backend with. Two settings are required by
// S3-compatible stores such as Ceph 16 (measured, docs/scale-out.md "Backend quirks"): path-style
// addressing (no `<bucket>.<host>` DNS), and checksums only where an operation requires them — with the
// SDK's default (`WHEN_SUPPORTED`) every streamed body is sent as aws-chunked with a trailing CRC32,
// which Ceph 16 does not understand.
import { S3Client } from '@aws-sdk/client-s3';

export interface S3Connection {
  /** `http(s)://host:port` of the backend; undefined = AWS S3 for `region`. */
  readonly endpoint?: string;
  readonly region: string;
  /** Both or neither; neither = the SDK's default credential chain (env, profile, instance role). */
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  readonly forcePathStyle: boolean;
  /** Abandon connecting to the backend after this long. Default 5000. */
  readonly connectTimeoutMs?: number;
}

/**
 * The SDK prints "An error was encountered in a non-retryable streaming request." on the console for
 * every failed streamed request unless given a logger — including an expected 412 of a conditional put.
 * The store reports failures itself, so the SDK's own log lines are dropped.
 */
const quietLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export function createS3Client(connection: S3Connection): S3Client {
  const credentials =
    connection.accessKeyId !== undefined && connection.secretAccessKey !== undefined
      ? { accessKeyId: connection.accessKeyId, secretAccessKey: connection.secretAccessKey }
      : undefined;
  return new S3Client({
    ...(connection.endpoint === undefined ? {} : { endpoint: connection.endpoint }),
    region: connection.region,
    ...(credentials === undefined ? {} : { credentials }),
    forcePathStyle: connection.forcePathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // Only idempotent requests are worth retrying; streamed bodies cannot be replayed by the SDK anyway.
    maxAttempts: 3,
    requestHandler: {
      connectionTimeout: connection.connectTimeoutMs ?? 5_000,
      // The SDK's default of 50 sockets queues requests of a busy gateway (each upload, listing and
      // assembly runs several backend requests at once).
      httpAgent: { keepAlive: true, maxSockets: 512 },
      httpsAgent: { keepAlive: true, maxSockets: 512 },
    },
    logger: quietLogger,
  });
}
