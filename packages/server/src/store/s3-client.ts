// The AWS SDK v3 client the gateway store talks to its backend with. Two settings are required by
// S3-compatible stores such as Ceph 16 (measured, docs/scale-out.md "Backend quirks"): path-style
// addressing (no `<bucket>.<host>` DNS), and checksums only where an operation requires them — with the
// SDK's default (`WHEN_SUPPORTED`) every streamed body is sent as aws-chunked with a trailing CRC32,
// which Ceph 16 does not understand. A request whose connection goes silent for requestTimeoutMs is
// abandoned (threats §C7 item 65: a backend that takes the body and never answers must not hold the
// upload for as long as it likes); s3-errors.ts reports it as 503 ServiceUnavailable.
import { S3Client } from '@aws-sdk/client-s3';

/**
 * Idle time (no byte either way) after which a backend request fails. An idle timeout rather than a
 * deadline: a multi-megabyte part that keeps moving is never cut, a stalled one is. 30 s is well above
 * Ceph's and S3's own answer times for the largest request the gateway sends (a 5 GiB CopyObject answers
 * as it copies, with whitespace keep-alives on AWS).
 */
export const defaultRequestTimeoutMs = 30_000;

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
  /** Abandon a request whose connection is silent this long. Default defaultRequestTimeoutMs. */
  readonly requestTimeoutMs?: number;
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
      // The Smithy handler's idle timer on the socket (`requestTimeout` is a total deadline that only
      // warns unless told otherwise). Under 2 s it is armed at once, else after 3 s (its own deferral).
      socketTimeout: connection.requestTimeoutMs ?? defaultRequestTimeoutMs,
      // The SDK's default of 50 sockets queues requests of a busy gateway (each upload, listing and
      // assembly runs several backend requests at once).
      httpAgent: { keepAlive: true, maxSockets: 512 },
      httpsAgent: { keepAlive: true, maxSockets: 512 },
    },
    logger: quietLogger,
  });
}
