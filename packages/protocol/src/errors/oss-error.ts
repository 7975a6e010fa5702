// One error type for every OSS failure. `code` is OSS's <Code>, `status` its HTTP status (oss-protocol §10.2),
// `ec` the error-condition code (<EC>, `NNNN-NNNNNNNN`) when OSS documents one, and `extra` the
// code-specific child elements (§10.1: ArgumentName, StringToSign, BucketName, …) in document order.
import { errorCatalog, type CatalogEntry, type OssErrorCode } from './error-catalog.js';

export interface OssErrorOptions {
  message?: string;
  ec?: string;
  extra?: ReadonlyArray<readonly [string, string]>;
  /** HTTP status override (rare: 203 CallbackFailed is in the catalog already). */
  status?: number;
  cause?: unknown;
}

export class OssError extends Error {
  readonly code: OssErrorCode;
  readonly status: number;
  readonly ec: string | undefined;
  readonly extra: ReadonlyArray<readonly [string, string]>;

  constructor(code: OssErrorCode, options: OssErrorOptions = {}) {
    const entry: CatalogEntry = errorCatalog[code];
    super(
      options.message ?? entry.message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'OssError';
    this.code = code;
    this.status = options.status ?? entry.status;
    this.ec = options.ec ?? entry.ec;
    this.extra = options.extra ?? [];
  }
}

export function isOssError(value: unknown): value is OssError {
  return value instanceof OssError;
}
