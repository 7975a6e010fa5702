// POST /api/oss-callback: app-kit's callback handler. Trust is strictly local: the storage server's key,
// pinned under its exact key URL when the PEM is known (read from the server in-process), otherwise that
// one URL allow-listed for fetching; the official OSS key is switched off (docs/real-oss.md).
import {
  createCallbackHandler,
  createCallbackKeyTrust,
  type UploadRecord,
  type UploadRecordStore,
  type VerifiedCallback,
  type WebHandler,
} from '@upcall/app-kit';
import type { StorageConnection } from '../storage-connection.js';

export interface CallbackRouteOptions {
  readonly store: UploadRecordStore;
  readonly storage: StorageConnection;
  readonly now?: () => number;
  readonly onError?: (error: unknown) => void;
}

/** What storage relays to the browser as the upload's answer (oss-protocol §9.6). */
export function buildCallbackReply(record: UploadRecord, callback: VerifiedCallback): unknown {
  return {
    status: 'confirmed',
    uploadId: record.id,
    key: callback.object,
    size: callback.size,
    etag: callback.etag,
    mimeType: callback.mimeType,
  };
}

export function createCallbackRoute(options: CallbackRouteOptions): WebHandler {
  const { callbackKeyUrl, callbackKeyPem } = options.storage;
  const trust = createCallbackKeyTrust({
    trustOssKey: false,
    ...(callbackKeyPem === undefined
      ? { fetchKeyUrls: [callbackKeyUrl] }
      : { pinnedKeys: { [callbackKeyUrl]: callbackKeyPem } }),
  });
  return createCallbackHandler({
    store: options.store,
    verifyOptions: { trust },
    onUploadConfirmed: buildCallbackReply,
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.onError === undefined ? {} : { onError: options.onError }),
  });
}
