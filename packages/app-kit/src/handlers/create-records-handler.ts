// Lists the signed-in user's uploads (newest first, as the store returns them), so a UI can show what
// was confirmed, what is still pending and what was stored without a confirmed callback (203 cases).
import type { UploadRecord, UploadRecordStore, UploadStatus } from '../records/upload-record-store.js';
import { buildErrorResponse, buildJsonResponse } from './json-response.js';
import type { WebHandler } from './web-handler.js';

export interface RecordsHandlerOptions {
  readonly store: UploadRecordStore;
  readonly getUserId: (request: Request) => string | undefined | Promise<string | undefined>;
  /** Default 100. */
  readonly maxRecords?: number;
  readonly onError?: (error: unknown) => void;
}

const statuses: readonly UploadStatus[] = ['pending', 'confirmed', 'stored-unconfirmed', 'expired'];

/** What a browser may see of a record: no reply JSON, no app data. */
export function buildPublicRecord(record: UploadRecord): Record<string, unknown> {
  return {
    id: record.id,
    key: record.key,
    keyIsPrefix: record.keyIsPrefix,
    status: record.status,
    size: record.size,
    etag: record.etag,
    mimeType: record.mimeType,
    createdAtMs: record.createdAtMs,
    expiresAtMs: record.expiresAtMs,
    confirmedAtMs: record.confirmedAtMs,
  };
}

export function createRecordsHandler(options: RecordsHandlerOptions): WebHandler {
  return async (request) => {
    if (request.method !== 'GET') return buildErrorResponse(405, 'method-not-allowed');
    try {
      const userId = await options.getUserId(request);
      if (userId === undefined) return buildErrorResponse(401, 'unauthenticated');
      const status = new URL(request.url).searchParams.get('status');
      if (status !== null && !statuses.includes(status as UploadStatus))
        return buildErrorResponse(400, 'bad-request');
      const records = await options.store.list({
        userId,
        limit: options.maxRecords ?? 100,
        ...(status === null ? {} : { status: status as UploadStatus }),
      });
      return buildJsonResponse(200, JSON.stringify({ records: records.map(buildPublicRecord) }));
    } catch (error) {
      options.onError?.(error);
      return buildErrorResponse(503, 'store-unavailable');
    }
  };
}
