// The upload ticket: where to POST and which form fields to send before the file (oss-protocol §1 step 2,
// §13 "Issuing"). Real OSS needs only `host` + the ordered `fields`; the other properties are hints that
// Upcall's app-kit adds (`issueUploadTicket`) and the client uses when present. Parsing is tolerant of
// unknown properties, strict about the ones it reads: a ticket is a write grant, so a malformed one is
// refused before any byte of the file is sent.
import { TicketError } from './upload-errors.js';

/** Form fields in sending order. A JSON object keeps its insertion order (no OSS field name is an integer). */
export type TicketFields = Readonly<Record<string, string>> | ReadonlyArray<readonly [string, string]>;

export interface Ticket {
  /** Where the form is POSTed: `https://<bucket>.oss-<region>.aliyuncs.com`, or Upcall's server URL. */
  readonly host: string;
  readonly fields: TicketFields;
  /** Policy expiration, Unix seconds (§13.3: lets a client reuse a ticket until shortly before expiry). */
  readonly expire?: number;
  /** The exact object key the ticket signs (the `key` field is then already in `fields`). */
  readonly key?: string;
  /** Prefix tickets: the client sends `key = keyPrefix + fileName` (policy `starts-with $key`, §4.3). */
  readonly keyPrefix?: string;
  /** One-time id bound into the callback body (app-kit replay protection): the ticket serves one file. */
  readonly uploadId?: string;
  readonly maxSizeBytes?: number;
  readonly minSizeBytes?: number;
  /** Signed as `["in","$content-type",[…]]`, which checks the `Content-Type` *form field* (§3.6). */
  readonly allowedContentTypes?: readonly string[];
}

/** What a ticket source is told about the file (the app may bind name, size and type into the policy). */
export interface TicketRequest {
  readonly fileName: string;
  readonly size: number;
  readonly contentType: string;
  /** Aborts the ticket request together with the upload. */
  readonly signal?: AbortSignal;
}

export type TicketSource = (request: TicketRequest) => Promise<Ticket>;

/** A ticket after parsing: fields as ordered pairs, expiry in milliseconds. */
export interface ParsedTicket extends Ticket {
  readonly fields: ReadonlyArray<readonly [string, string]>;
  readonly expireMs?: number;
}

function fail(message: string): never {
  throw new TicketError(`Invalid upload ticket: ${message}`);
}

function parseFields(value: unknown): Array<[string, string]> {
  const entries: unknown[] = Array.isArray(value)
    ? value
    : typeof value === 'object' && value !== null
      ? Object.entries(value)
      : fail('`fields` must be an object or an array of [name, value] pairs');
  return entries.map((entry) => {
    if (!Array.isArray(entry) || entry.length !== 2) fail('each field must be a [name, value] pair');
    const [name, fieldValue] = entry as unknown[];
    if (typeof name !== 'string' || name === '') fail('a field name must be a non-empty string');
    if (typeof fieldValue !== 'string') fail(`field "${name}" must have a string value`);
    if (name.toLowerCase() === 'file') fail('`file` is sent by the client, not by the ticket');
    return [name, fieldValue];
  });
}

/** Absolute http(s) URLs, or a same-origin path (a page may proxy storage under its own origin). */
function parseHost(value: unknown): string {
  if (typeof value !== 'string' || value === '') return fail('`host` must be a non-empty string');
  if (value.startsWith('/') && !value.startsWith('//')) return value;
  if (!/^https?:\/\/[^/?#\s]+/i.test(value)) fail('`host` must be an http(s) URL');
  return value;
}

function optionalString(record: Record<string, unknown>, name: string): string | undefined {
  const value = record[name];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : fail(`\`${name}\` must be a string`);
}

function optionalNumber(record: Record<string, unknown>, name: string): number | undefined {
  const raw = record[name];
  if (raw === undefined || raw === null) return undefined;
  // The official demo servers send `expire` as a string in some languages (PHP's json_encode of a string).
  const value = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  return typeof value === 'number' && Number.isFinite(value) ? value : fail(`\`${name}\` must be a number`);
}

function optionalStringList(record: Record<string, unknown>, name: string): readonly string[] | undefined {
  const value = record[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) return fail(`\`${name}\` must be an array of strings`);
  return value.map((item: unknown) =>
    typeof item === 'string' ? item : fail(`\`${name}\` must be an array of strings`),
  );
}

/** Validates a ticket from JSON (or from a TicketSource) and normalises it; unknown properties are ignored. */
export function parseTicket(json: unknown): ParsedTicket {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('expected a JSON object');
  const record = json as Record<string, unknown>;
  const expire = optionalNumber(record, 'expire');
  const ticket = {
    host: parseHost(record['host']),
    fields: parseFields(record['fields']),
    expire,
    expireMs: expire === undefined ? undefined : expire * 1000,
    key: optionalString(record, 'key'),
    keyPrefix: optionalString(record, 'keyPrefix'),
    uploadId: optionalString(record, 'uploadId'),
    maxSizeBytes: optionalNumber(record, 'maxSizeBytes'),
    minSizeBytes: optionalNumber(record, 'minSizeBytes'),
    allowedContentTypes: optionalStringList(record, 'allowedContentTypes'),
  };
  return Object.fromEntries(
    Object.entries(ticket).filter(([, v]) => v !== undefined),
  ) as unknown as ParsedTicket;
}

/** The value of a field, matched case-insensitively like OSS does (§3.3). */
export function findTicketField(ticket: ParsedTicket, name: string): string | undefined {
  const lower = name.toLowerCase();
  return ticket.fields.find(([fieldName]) => fieldName.toLowerCase() === lower)?.[1];
}
