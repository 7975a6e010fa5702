// POST /api/multipart/{start,sign-parts,list-parts,complete,abort}: app-kit's presigned-multipart handlers
// with the demo's user (cookie) and multipart limits. The callback is the same /api/oss-callback the
// tickets use, pinned by app-kit into CompleteMultipartUpload, so the record is confirmed the same way.
// Storage is reached path-style (Upcall's IP endpoint); against Alibaba Cloud OSS only the connection
// values change (docs/large-uploads.md).
import { createMultipartHandlers, type UploadRecordStore, type WebHandler } from '@upcall/app-kit';
import type { MultipartLimits } from '../demo-limits.js';
import { readDemoUserId } from '../demo-user.js';
import type { StorageConnection } from '../storage-connection.js';

export interface MultipartRoutesOptions {
  readonly store: UploadRecordStore;
  readonly storage: StorageConnection;
  readonly limits: MultipartLimits;
  readonly callbackUrl: string;
  readonly now?: () => number;
  readonly onError?: (error: unknown) => void;
}

export const multipartRoutePrefix = '/api/multipart';

/** Upcall's server has no bucket sub-domains on an IP endpoint; real OSS endpoints name the bucket host. */
export function usesPathStyle(storage: StorageConnection): boolean {
  return !new URL(storage.endpoint).hostname.startsWith(`${storage.bucket}.`);
}

export function createMultipartRoutes(options: MultipartRoutesOptions): Array<[string, WebHandler]> {
  const { storage, limits } = options;
  const handlers = createMultipartHandlers({
    storage: {
      endpoint: storage.endpoint,
      pathStyle: usesPathStyle(storage),
      bucket: storage.bucket,
      region: storage.region,
      credentials: storage.credentials,
    },
    store: options.store,
    callback: { urls: options.callbackUrl },
    maxSizeBytes: limits.maxSizeBytes,
    allowedContentTypes: limits.allowedContentTypes,
    getUserId: (request) => readDemoUserId(request.headers.get('cookie')),
    appData: (body) => ({ fileName: body.fileName ?? null }),
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.onError === undefined ? {} : { onError: options.onError }),
  });
  return [
    [`${multipartRoutePrefix}/start`, handlers.start],
    [`${multipartRoutePrefix}/sign-parts`, handlers.signParts],
    [`${multipartRoutePrefix}/list-parts`, handlers.listParts],
    [`${multipartRoutePrefix}/complete`, handlers.complete],
    [`${multipartRoutePrefix}/abort`, handlers.abort],
  ];
}
