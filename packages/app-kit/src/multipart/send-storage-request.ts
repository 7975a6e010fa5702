// The app server's own requests to storage (InitiateMultipartUpload, ListParts, CompleteMultipartUpload,
// AbortMultipartUpload): V4 header signatures (oss-protocol §7.1) with the application's key, sent with
// the global fetch. Every HTTP answer resolves; only "no answer" rejects (StorageUnreachableError).
import { signRequestV4Header } from '@upcall/protocol';
import { buildStorageUrl, type MultipartStorage } from './multipart-storage.js';

export interface StorageRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly key: string;
  readonly query: ReadonlyArray<readonly [string, string]>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface StorageAnswer {
  readonly status: number;
  readonly bodyText: string;
  /** A response header by case-insensitive name, or null. */
  readonly header: (name: string) => string | null;
}

export interface StorageRequestDeps {
  readonly nowMs: number;
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
}

/** Storage gave no HTTP answer (refused connection, DNS, timeout). */
export class StorageUnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageUnreachableError';
  }
}

export async function sendStorageRequest(
  storage: MultipartStorage,
  request: StorageRequest,
  deps: StorageRequestDeps,
): Promise<StorageAnswer> {
  const { accessKeyId, accessKeySecret, securityToken } = storage.credentials;
  const signed = signRequestV4Header({
    method: request.method,
    bucket: storage.bucket,
    key: request.key,
    query: request.query,
    headers: request.headers ?? {},
    region: storage.region,
    accessKeyId,
    secret: accessKeySecret,
    ...(securityToken === undefined ? {} : { securityToken }),
    nowMs: deps.nowMs,
  });
  const url = buildStorageUrl(storage, request.key, request.query);
  try {
    const response = await (deps.fetch ?? fetch)(url, {
      method: request.method,
      headers: signed.headers as Record<string, string>,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: AbortSignal.timeout(deps.timeoutMs),
      redirect: 'manual',
    });
    const bodyText = await response.text();
    return { status: response.status, bodyText, header: (name) => response.headers.get(name) };
  } catch (error) {
    throw new StorageUnreachableError(`${request.method} ${url} got no answer: ${String(error)}`, {
      cause: error,
    });
  }
}
