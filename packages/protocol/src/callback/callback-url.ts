// callbackUrl (oss-protocol §8.1): up to 5 URLs separated by `;`, tried in order. Scheme optional
// (INFERRED default http://), port a valid integer, no IPv6 literal, URL-encoded (ASCII only).
// We parse with WHATWG URL but check the raw authority first, because WHATWG silently drops tabs and
// newlines, turns `\` into `/`, accepts userinfo and port 0 — each of which would make the URL we dial
// differ from the one the uploader wrote (threats §B12, §C5.47).
import { callbackEc, type FailCallbackArgument } from './callback-argument-error.js';

export const maxCallbackUrls = 5;

export interface CallbackUrl {
  /** Normalised absolute URL (WHATWG serialisation). */
  readonly href: string;
  readonly protocol: 'http:' | 'https:';
  /** Lower-case host name or canonical dotted IPv4 (`0x7f.1` → `127.0.0.1`) — what a dial-time check sees. */
  readonly hostname: string;
  /** Explicit port, else 80/443. */
  readonly port: number;
  /** Host authority for the default `Host` header: hostname plus `:port` when not the scheme default. */
  readonly host: string;
  /** Origin-form request target (path + `?query`) exactly as sent — and therefore as signed (§9.3). */
  readonly requestTarget: string;
}

const schemePrefix = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const hostnameChars = /^[A-Za-z0-9._-]+$/;

function checkAuthority(authority: string): number | undefined | 'invalid' {
  if (authority.includes('@') || authority.startsWith('[')) return 'invalid'; // userinfo, IPv6 literal
  const colon = authority.indexOf(':');
  const hostname = colon === -1 ? authority : authority.slice(0, colon);
  if (!hostnameChars.test(hostname)) return 'invalid';
  if (colon === -1) return undefined;
  const port = authority.slice(colon + 1);
  if (!/^[0-9]{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) return 'invalid';
  return Number(port);
}

function parseOneUrl(raw: string, fail: FailCallbackArgument): CallbackUrl {
  const invalid = (): never => fail(callbackEc.invalidUrl, `The callbackUrl is not a valid URL: ${raw}`);
  // Printable ASCII only (§8.1: URLs must be percent-encoded); no `\` or fragment.
  if (!/^[\x21-\x7e]+$/.test(raw) || raw.includes('\\') || raw.includes('#')) invalid();
  const absolute = schemePrefix.test(raw) ? raw : `http://${raw}`;
  const schemeEnd = absolute.indexOf('://');
  const scheme = absolute.slice(0, schemeEnd).toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') invalid();
  const rest = absolute.slice(schemeEnd + 3);
  const authorityEnd = rest.search(/[/?]/);
  const explicitPort = checkAuthority(authorityEnd === -1 ? rest : rest.slice(0, authorityEnd));
  if (explicitPort === 'invalid') return invalid();
  let url: URL;
  try {
    url = new URL(absolute);
  } catch {
    return invalid();
  }
  const protocol = url.protocol === 'https:' ? 'https:' : 'http:';
  return {
    href: url.href,
    protocol,
    hostname: url.hostname,
    port: explicitPort ?? (protocol === 'https:' ? 443 : 80),
    host: url.host,
    requestTarget: url.pathname + url.search,
  };
}

/** Splits and validates a callbackUrl value. Empty segments (a trailing `;`, as in OSS's own examples) are skipped. */
export function parseCallbackUrls(value: string, fail: FailCallbackArgument): CallbackUrl[] {
  const segments = value
    .split(';')
    .map((segment) => segment.trim())
    .filter((segment) => segment !== '');
  if (segments.length === 0) fail(callbackEc.invalidUrl, 'The callbackUrl is empty.');
  if (segments.length > maxCallbackUrls) {
    fail(callbackEc.tooManyUrls, `The callbackUrl has more than ${maxCallbackUrls} URLs.`);
  }
  return segments.map((segment) => parseOneUrl(segment, fail));
}
