// POST /api/tickets: app-kit's ticket handler with the demo's user (cookie) and limits. The browser
// (@upcall/client fetchTicketSource) sends `{ fileName, size, contentType }`; only the name is used —
// its extension goes into the key, the name itself into the record's appData for the records table.
// Size and type are NOT taken from the request: the policy signs the configured limits and storage
// enforces them (a too-large file gets OSS's own EntityTooLarge).
import {
  createTicketHandler,
  type TicketRequestOptions,
  type UploadRecordStore,
  type WebHandler,
} from '@upcall/app-kit';
import type { DemoLimits } from '../demo-limits.js';
import { readDemoUserId } from '../demo-user.js';
import { buildUploadHost, type StorageConnection } from '../storage-connection.js';

export interface TicketRouteOptions {
  readonly store: UploadRecordStore;
  readonly storage: StorageConnection;
  readonly limits: DemoLimits;
  readonly callbackUrl: string;
  readonly onError?: (error: unknown) => void;
}

/** Longest file name kept for display; the key never contains it. */
const maxFileNameChars = 255;

/** The display name a page sends as `{ fileName }` (shared by the ticket and SDK routes). */
export async function readFileName(request: Request): Promise<string | undefined> {
  try {
    const body = (await request.json()) as { fileName?: unknown } | null;
    const name = body?.fileName;
    return typeof name === 'string' && name !== '' ? name.slice(0, maxFileNameChars) : undefined;
  } catch {
    return undefined;
  }
}

export function createTicketRoute(options: TicketRouteOptions): WebHandler {
  const { storage, limits } = options;
  return createTicketHandler({
    store: options.store,
    getUserId: (request) => readDemoUserId(request.headers.get('cookie')),
    ticketOptions: async (request): Promise<TicketRequestOptions> => {
      const fileName = await readFileName(request);
      return {
        credentials: storage.credentials,
        region: storage.region,
        bucket: storage.bucket,
        host: buildUploadHost(storage),
        ...(fileName === undefined ? {} : { filename: fileName }),
        maxSizeBytes: limits.maxSizeBytes,
        allowedContentTypes: limits.allowedContentTypes,
        callback: { urls: options.callbackUrl },
        appData: { fileName: fileName ?? null },
      };
    },
    ...(options.onError === undefined ? {} : { onError: options.onError }),
  });
}
