// GET /api/thumbnail-url?id=…: a presigned GET URL for one of the user's own confirmed images. The checks
// are the point: the record must exist, belong to this cookie's user, be confirmed (the signed callback
// vouched for the object) and be an image type the page may render.
import type { UploadRecordStore, WebHandler } from '@upcall/app-kit';
import { checkThumbnailType } from '../demo-limits.js';
import { readDemoUserId } from '../demo-user.js';
import type { StorageConnection } from '../storage-connection.js';
import { presignObjectUrl } from '../storage/presign-object-url.js';
import { replyError, replyJson } from './reply-json.js';

export interface ThumbnailRouteOptions {
  readonly store: UploadRecordStore;
  readonly storage: StorageConnection;
  readonly now?: () => number;
  readonly onError?: (error: unknown) => void;
}

export function createThumbnailRoute(options: ThumbnailRouteOptions): WebHandler {
  const now = options.now ?? Date.now;
  return async (request) => {
    if (request.method !== 'GET') return replyError(405, 'method-not-allowed');
    const userId = readDemoUserId(request.headers.get('cookie'));
    if (userId === undefined) return replyError(401, 'unauthenticated');
    const id = new URL(request.url).searchParams.get('id');
    if (id === null || id === '' || id.length > 64)
      return replyError(400, 'bad-request', 'Give ?id=<upload id>.');
    let record;
    try {
      record = await options.store.get(id);
    } catch (error) {
      options.onError?.(error);
      return replyError(503, 'store-unavailable');
    }
    // Someone else's record answers exactly like a missing one: ids are not an oracle.
    if (record === undefined || record.userId !== userId) return replyError(404, 'not-found');
    if (record.status !== 'confirmed' || record.objectKey === null)
      return replyError(409, 'not-confirmed', 'Only confirmed uploads have thumbnails.');
    if (!checkThumbnailType(record.mimeType)) return replyError(409, 'not-an-image');
    const presigned = presignObjectUrl(options.storage, record.objectKey, now());
    return replyJson(200, { url: presigned.url, expiresAt: new Date(presigned.expiresAtMs).toISOString() });
  };
}
