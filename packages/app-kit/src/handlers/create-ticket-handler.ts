// The endpoint the browser asks for an upload ticket. Authenticated (401 without a user), same-origin
// by default (threats §C6.59: a ticket is a write grant, so a cross-site page must not obtain one with
// the user's cookies), never cached, and every refusal is a JSON `{ error, message }`.
import { isOssError } from '@upcall/protocol';
import type { UploadRecordStore } from '../records/upload-record-store.js';
import { isUploadRecordStoreError } from '../records/upload-record-store-error.js';
import { issueUploadTicket } from '../tickets/issue-upload-ticket.js';
import type { UploadTicketOptions } from '../tickets/upload-ticket.js';
import { buildErrorResponse, buildJsonResponse } from './json-response.js';
import { DeadlineExceededError, raceDeadline } from './race-deadline.js';
import type { WebHandler } from './web-handler.js';

export type TicketRequestOptions = Omit<UploadTicketOptions, 'userId'>;

export interface TicketHandlerOptions {
  /** The authenticated user, or undefined (→ 401). */
  readonly getUserId: (request: Request) => string | undefined | Promise<string | undefined>;
  /** Ticket options for this request, e.g. `filename` and `contentType` read from the query. */
  readonly ticketOptions: (
    request: Request,
    userId: string,
  ) => TicketRequestOptions | Promise<TicketRequestOptions>;
  readonly store: UploadRecordStore;
  /** Origins (scheme://host[:port]) allowed besides the request's own host. */
  readonly allowedOrigins?: readonly string[];
  /** Budget for recording the pending upload (default 2000 ms). */
  readonly storeBudgetMs?: number;
  readonly onError?: (error: unknown) => void;
}

/** Same host as the request (scheme ignored: TLS often ends at a proxy), or explicitly allowed. */
export function checkRequestOrigin(request: Request, allowedOrigins: readonly string[] = []): boolean {
  const origin = request.headers.get('origin');
  if (origin === null) return request.headers.get('sec-fetch-site') !== 'cross-site';
  if (allowedOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === new URL(request.url).host;
  } catch {
    return false;
  }
}

export function createTicketHandler(options: TicketHandlerOptions): WebHandler {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'POST')
      return buildErrorResponse(405, 'method-not-allowed');
    if (!checkRequestOrigin(request, options.allowedOrigins)) return buildErrorResponse(403, 'cross-origin');
    try {
      const userId = await options.getUserId(request);
      if (userId === undefined) return buildErrorResponse(401, 'unauthenticated');
      const ticketOptions = await options.ticketOptions(request, userId);
      const ticket = await raceDeadline(
        issueUploadTicket({ ...ticketOptions, userId, store: options.store }),
        options.storeBudgetMs ?? 2000,
      );
      return buildJsonResponse(200, JSON.stringify(ticket));
    } catch (error) {
      options.onError?.(error);
      if (isOssError(error)) return buildErrorResponse(error.status, error.code, error.message);
      if (isUploadRecordStoreError(error) || error instanceof DeadlineExceededError) {
        return buildErrorResponse(503, 'store-unavailable');
      }
      return buildErrorResponse(500, 'internal-error');
    }
  };
}
