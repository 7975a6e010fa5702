// Classifying AWS SDK v3 errors from the backend, and turning them into OssErrors: the store's callers
// only ever see OSS codes (NoSuchBucket for a bucket deleted under a write, ServiceUnavailable when the
// backend sheds load, InternalError with the backend error as cause for anything else).
import { OssError } from '@upcall/protocol';
import { noSuchBucket } from './store-errors.js';

interface SdkErrorShape {
  readonly name?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

function statusOf(error: unknown): number | undefined {
  const status = (error as SdkErrorShape | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

function nameOf(error: unknown): string | undefined {
  const name = (error as SdkErrorShape | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

export function isNoSuchBucketError(error: unknown): boolean {
  return nameOf(error) === 'NoSuchBucket';
}

/** A missing key or bucket: HEAD answers a bare 404 (`NotFound`), GET `NoSuchKey` / `NoSuchBucket`. */
export function isNotFoundError(error: unknown): boolean {
  return statusOf(error) === 404 || ['NotFound', 'NoSuchKey', 'NoSuchBucket'].includes(nameOf(error) ?? '');
}

export function isNoSuchUploadError(error: unknown): boolean {
  return nameOf(error) === 'NoSuchUpload';
}

/** `If-None-Match: *` lost: the key exists (Ceph 16 answers 412 PreconditionFailed). */
export function isPreconditionFailedError(error: unknown): boolean {
  return statusOf(error) === 412;
}

export function isBucketNotEmptyError(error: unknown): boolean {
  return nameOf(error) === 'BucketNotEmpty';
}

/** CreateBucket on a bucket this account already owns (AWS outside us-east-1 says so; Ceph answers 200). */
export function isOwnBucketError(error: unknown): boolean {
  return nameOf(error) === 'BucketAlreadyOwnedByYou';
}

/**
 * The backend did not answer (or connect) in time: the Smithy handler's socket or connection timeout
 * (s3-client.ts). It also names resets and broken pipes `TimeoutError` (to make them retryable); those
 * carry their errno code and are connection failures, not timeouts.
 */
export function isBackendTimeout(error: unknown): boolean {
  if (nameOf(error) !== 'TimeoutError') return false;
  const code = (error as { code?: unknown } | null)?.code;
  return code === undefined || code === 'ETIMEDOUT';
}

/** Any failure as the OssError a caller of the store may see. OssErrors pass through unchanged. */
export function toOssError(error: unknown, ossBucket: string): OssError {
  if (error instanceof OssError) return error;
  if (isNoSuchBucketError(error)) return noSuchBucket(ossBucket);
  if (statusOf(error) === 503 || nameOf(error) === 'SlowDown') {
    return new OssError('ServiceUnavailable', { cause: error });
  }
  if (isBackendTimeout(error)) {
    return new OssError('ServiceUnavailable', {
      message: 'The storage backend did not answer in time.',
      cause: error,
    });
  }
  return new OssError('InternalError', { cause: error });
}

/** Runs backend work and rethrows its failure as toOssError would. */
export async function asOssError<T>(ossBucket: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toOssError(error, ossBucket);
  }
}
