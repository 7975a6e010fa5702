// `upcall upload FILE... --ticket-url URL [flags]`: flags → a checked options object. Every mistake is an
// UploadUsageError (exit status 2) raised before any request is made.
import { parseArgs } from 'node:util';
import { UploadUsageError } from './upload-usage-error.js';

export const uploadUsage = `Usage: upcall upload FILE... --ticket-url URL [flags]

Uploads files the way the browser client does: asks the app server for a ticket, POSTs the form to
storage (real OSS or Upcall's server), and prints what the app's callback answered.

Flags:
  --ticket-url URL       the app's ticket endpoint (env UPCALL_TICKET_URL)
  --header 'Name: value' extra header for the ticket request, e.g. a cookie or token (repeatable)
  --concurrency N        files uploading at once (default 2)
  --retries N            retries after a network error or 5xx (default 2)
  --json                 one JSON line per file on stdout instead of the text summary
  --quiet                no progress on stderr
  -h, --help             this text

Exit status: 0 all confirmed, 3 some stored but the callback failed, 1 some rejected or failed,
2 usage error, 130 interrupted.
`;

export interface UploadCliOptions {
  readonly files: readonly string[];
  readonly ticketUrl: string;
  /** In the order given; a name may repeat. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly concurrency: number;
  /** undefined: the client's default. */
  readonly retries: number | undefined;
  readonly json: boolean;
  readonly quiet: boolean;
  readonly help: boolean;
}

const flagSpec = {
  'ticket-url': { type: 'string' },
  header: { type: 'string', multiple: true },
  concurrency: { type: 'string' },
  retries: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** RFC 9110 §5.1 field name (a token) and a value without CR, LF or NUL. */
export function parseHeaderFlag(text: string): [string, string] {
  const colon = text.indexOf(':');
  const name = colon === -1 ? '' : text.slice(0, colon).trim();
  const value = colon === -1 ? '' : text.slice(colon + 1).trim();
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || /[\r\n\0]/.test(value)) {
    throw new UploadUsageError(`--header ${JSON.stringify(text)}: expected 'Name: value'`);
  }
  return [name, value];
}

function parseCount(flag: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) {
    throw new UploadUsageError(
      `--${flag} ${JSON.stringify(text)}: expected a whole number from ${min} to ${max}`,
    );
  }
  return value;
}

function parseTicketUrl(text: string | undefined): string {
  if (text === undefined || text === '') {
    throw new UploadUsageError('missing --ticket-url (or UPCALL_TICKET_URL)');
  }
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    throw new UploadUsageError(`--ticket-url ${JSON.stringify(text)}: expected an absolute http(s) URL`);
  }
  return url.href;
}

const parseConfig = { options: flagSpec, allowPositionals: true, strict: true } as const;

function readFlags(argv: readonly string[]): ReturnType<typeof parseArgs<typeof parseConfig>> {
  try {
    return parseArgs({ ...parseConfig, args: [...argv] });
  } catch (error) {
    throw new UploadUsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

export function parseUploadArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): UploadCliOptions {
  const { values, positionals } = readFlags(argv);
  const help = values.help === true;
  if (!help && positionals.length === 0) throw new UploadUsageError('no files given');
  return {
    files: positionals,
    ticketUrl: help ? '' : parseTicketUrl(values['ticket-url'] ?? env.UPCALL_TICKET_URL),
    headers: (values.header ?? []).map(parseHeaderFlag),
    concurrency: parseCount('concurrency', values.concurrency, 1, 64) ?? 2,
    retries: parseCount('retries', values.retries, 0, 100),
    json: values.json === true,
    quiet: values.quiet === true,
    help,
  };
}
