// A TicketSource that asks the application server over HTTP: POST JSON `{ fileName, size, contentType }`
// and read the ticket JSON back (app-kit's ticket handler, or any endpoint returning `{ host, fields }`).
// Same-origin cookies go along by default (the endpoint authenticates the user).
import { parseTicket, type Ticket, type TicketRequest, type TicketSource } from './ticket.js';
import { isAbortError, TicketError } from './upload-errors.js';

export interface FetchTicketSourceOptions {
  /** 'POST' (default) sends the request as JSON; 'GET' sends it as query parameters (official demos). */
  readonly method?: 'POST' | 'GET';
  /** Maps the reply JSON to a Ticket, e.g. `(json) => ticketFromOfficialDemo(json)`. Default parseTicket. */
  readonly adapt?: (json: unknown, request: TicketRequest) => Ticket;
}

/** Longest reply text quoted in an error message. */
const maxQuotedChars = 200;

function buildRequest(
  url: string,
  request: TicketRequest,
  init: RequestInit,
  method: 'POST' | 'GET',
): Request {
  const headers = new Headers(init.headers);
  headers.set('accept', 'application/json');
  const signal = request.signal ?? init.signal ?? null;
  if (method === 'GET') {
    const target = new URL(url, globalThis.location?.href);
    target.searchParams.set('fileName', request.fileName);
    target.searchParams.set('size', String(request.size));
    target.searchParams.set('contentType', request.contentType);
    return new Request(target, { ...init, method, headers, signal });
  }
  headers.set('content-type', 'application/json');
  const body = JSON.stringify({
    fileName: request.fileName,
    size: request.size,
    contentType: request.contentType,
  });
  return new Request(new URL(url, globalThis.location?.href), { ...init, method, headers, body, signal });
}

/**
 * Reads `{ error, message }` (app-kit's refusal shape) or quotes the start of the text. `endpoint` names
 * who answered (the multipart endpoints pass their URL).
 */
export function describeRefusal(status: number, text: string, endpoint = 'The ticket endpoint'): TicketError {
  let code: string | undefined;
  let detail = text.trim().slice(0, maxQuotedChars);
  try {
    const json = JSON.parse(text) as { error?: unknown; message?: unknown };
    if (typeof json.error === 'string') code = json.error;
    if (typeof json.message === 'string') detail = json.message;
    else if (code !== undefined) detail = code;
  } catch {
    // not JSON: keep the quoted text
  }
  return new TicketError(`${endpoint} answered ${status}${detail === '' ? '' : `: ${detail}`}`, {
    httpStatus: status,
    ...(code === undefined ? {} : { code }),
    retryable: status >= 500,
  });
}

function parseReply(status: number, ok: boolean, text: string): unknown {
  if (!ok) throw describeRefusal(status, text);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new TicketError(`The ticket endpoint answered ${status} with invalid JSON`, { cause: error });
  }
}

export function fetchTicketSource(
  url: string,
  init: RequestInit = {},
  options: FetchTicketSourceOptions = {},
): TicketSource {
  const adapt = options.adapt ?? parseTicket;
  return async (request) => {
    let response: Response;
    let text: string;
    try {
      response = await fetch(buildRequest(url, request, init, options.method ?? 'POST'));
      text = await response.text();
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw new TicketError(`The ticket endpoint could not be reached: ${String(error)}`, {
        retryable: true,
        cause: error,
      });
    }
    return adapt(parseReply(response.status, response.ok, text), request);
  };
}
