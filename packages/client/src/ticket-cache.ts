// Reuses one upload ticket for several files until shortly before it expires, like the official
// upload.js (anchors §1a; oss-protocol §13.3 `expire`). Only tickets that can sign any file are
// shared — see isTicketReusable; everything else is fetched per file.
import {
  findTicketField,
  parseTicket,
  type Ticket,
  type TicketRequest,
  type TicketSource,
} from './ticket.js';

export interface TicketCacheOptions {
  /** A cached ticket is handed out only while it expires more than this far ahead (default 60 000 ms). */
  readonly marginMs?: number;
  readonly now?: () => number;
}

/**
 * The reuse rule. A ticket is reusable only when it:
 * - has no `uploadId`: app-kit binds a one-time id into the callback body, so a second file would reuse
 *   the id and be treated as a replay (anchors §7.3);
 * - names no exact key: neither `ticket.key` nor a `key` field — unless that field uses OSS's
 *   `${filename}` substitution (§3.5), which names each object after its own file;
 * - has an `expire`: without it the client cannot know when the policy lapses.
 * Prefix tickets (official demo without a file name) qualify; app-kit tickets never do.
 */
export function isTicketReusable(ticket: Ticket): boolean {
  const parsed = parseTicket(ticket);
  if (parsed.uploadId !== undefined || parsed.key !== undefined || parsed.expireMs === undefined)
    return false;
  const keyField = findTicketField(parsed, 'key');
  return keyField === undefined || keyField.includes('${filename}');
}

export function createTicketCache(source: TicketSource, options: TicketCacheOptions = {}): TicketSource {
  const marginMs = options.marginMs ?? 60_000;
  const now = options.now ?? Date.now;
  let cached: Ticket | undefined;
  let pending: Promise<Ticket> | undefined;

  const isFresh = (ticket: Ticket): boolean => (parseTicket(ticket).expireMs ?? 0) - now() > marginMs;
  const usable = (ticket: Ticket | undefined): ticket is Ticket =>
    ticket !== undefined && isTicketReusable(ticket) && isFresh(ticket);

  const fetchTicket = async (request: TicketRequest): Promise<Ticket> => {
    const ticket = await source(request);
    if (usable(ticket)) cached = ticket;
    return ticket;
  };

  return async (request) => {
    if (usable(cached)) return cached;
    cached = undefined;
    // Files added together wait for one request instead of each fetching a ticket.
    if (pending) {
      const shared = await pending.catch(() => undefined);
      if (usable(shared)) return shared;
    }
    const own = fetchTicket(request);
    pending = own;
    try {
      return await own;
    } finally {
      if (pending === own) pending = undefined;
    }
  };
}
