// GET /api/uploads: the user's upload records as a JSON array (newest first), for the page's records
// table and for tests. Times are ISO strings; the stored callback reply and owner id are not exposed.
import type { UploadRecord, UploadRecordStore, WebHandler } from '@upcall/app-kit';
import { readDemoUserId } from '../demo-user.js';
import { replyError, replyJson } from './reply-json.js';

export interface UploadsRouteOptions {
  readonly store: UploadRecordStore;
  /** Default 100. */
  readonly maxRecords?: number;
  readonly onError?: (error: unknown) => void;
}

export interface UploadRecordView {
  readonly id: string;
  readonly key: string;
  readonly status: UploadRecord['status'];
  readonly size: number | null;
  readonly etag: string | null;
  readonly mimeType: string | null;
  readonly fileName: string | null;
  readonly createdAt: string;
  readonly confirmedAt: string | null;
}

function readFileName(appData: string | null): string | null {
  if (appData === null) return null;
  try {
    const parsed = JSON.parse(appData) as { fileName?: unknown } | null;
    return typeof parsed?.fileName === 'string' ? parsed.fileName : null;
  } catch {
    return null;
  }
}

export function buildUploadRecordView(record: UploadRecord): UploadRecordView {
  return {
    id: record.id,
    key: record.objectKey ?? record.key,
    status: record.status,
    size: record.size,
    etag: record.etag,
    mimeType: record.mimeType,
    fileName: readFileName(record.appData),
    createdAt: new Date(record.createdAtMs).toISOString(),
    confirmedAt: record.confirmedAtMs === null ? null : new Date(record.confirmedAtMs).toISOString(),
  };
}

export function createUploadsRoute(options: UploadsRouteOptions): WebHandler {
  return async (request) => {
    if (request.method !== 'GET') return replyError(405, 'method-not-allowed');
    const userId = readDemoUserId(request.headers.get('cookie'));
    if (userId === undefined) return replyError(401, 'unauthenticated');
    try {
      const records = await options.store.list({ userId, limit: options.maxRecords ?? 100 });
      return replyJson(200, records.map(buildUploadRecordView));
    } catch (error) {
      options.onError?.(error);
      return replyError(503, 'store-unavailable');
    }
  };
}
