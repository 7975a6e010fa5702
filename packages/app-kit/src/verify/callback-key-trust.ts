// Which public keys a callback may be verified with (oss-protocol §9.4, threats §B3, §C6.50–51).
// The x-oss-pub-key-url header is only a *selector*: it must equal, character for character, a URL the
// application configured — the official OSS key URLs (pinned PEM, never fetched) by default, plus pinned
// PEMs or an allow-list of URLs to fetch — or lie under a configured key URL prefix (one origin, one path
// prefix: Upcall advertises `/_upcall/callback-public-key-<fingerprint>.pem`, a new URL per rotated key).
// A URL outside the configuration is never fetched, so a forged callback cannot bring its own key and the
// header cannot be used for SSRF beyond the configured origin.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { ossCallbackPublicKeyPem, ossCallbackPublicKeyUrls } from '@upcall/protocol';
import { CallbackVerificationError } from './callback-verification-error.js';
import { readPublicKeyPem, type FetchLike } from './read-public-key-pem.js';

export interface CallbackKeyTrustOptions {
  /** Trust OSS's own key for its two documented URLs (default true). Its PEM is built in (§9.4). */
  readonly trustOssKey?: boolean;
  /** Exact key URL → PEM. Use for Upcall's server key (`upcall` prints both at start-up). */
  readonly pinnedKeys?: Readonly<Record<string, string>>;
  /** Exact key URLs whose PEM may be fetched (≤ 2 s, ≤ 8 KiB, no redirects) and cached. */
  readonly fetchKeyUrls?: readonly string[];
  /**
   * Key URL prefixes, e.g. `http://127.0.0.1:9000/_upcall/`: a canonical http(s) origin plus a path
   * ending in `/`, without userinfo, query or fragment. A key URL is fetched (same limits as
   * fetchKeyUrls) when it is canonical, has exactly that origin, no userinfo, query or fragment, and a
   * path that continues the prefix's path without `%` escapes. Survives key rotation, unlike exact URLs.
   */
  readonly fetchKeyUrlPrefixes?: readonly string[];
  readonly fetchTimeoutMs?: number;
  readonly maxKeyBytes?: number;
  readonly cacheTtlMs?: number;
  /**
   * Fetches allow-listed key URLs (default: global fetch, which ignores http_proxy). Upcall's dev key URL
   * `http://gosspublic.alicdn.com/upcall_dev_key.pem` only resolves through `upcall server --dev-key-proxy`
   * as an HTTP proxy; an app-kit verifier should rather pin or allow-list the URL Upcall prints
   * (docs/callback-keys.md), or pass a fetch that goes through that proxy.
   */
  readonly fetch?: FetchLike;
  readonly now?: () => number;
}

export type KeySource = 'oss' | 'pinned' | 'fetched';

export interface TrustedKey {
  readonly url: string;
  readonly source: KeySource;
  readonly key: KeyObject;
}

export interface CallbackKeyTrust {
  /** How a key URL would be trusted, without fetching anything; undefined = untrusted. */
  lookup(url: string): KeySource | undefined;
  /** The key for a trusted URL; throws CallbackVerificationError 'untrusted-key-url' / 'key-unavailable'. */
  resolve(url: string): Promise<TrustedKey>;
}

export const maxKeyFetchTimeoutMs = 2000;
export const defaultMaxKeyBytes = 8 * 1024;
export const defaultKeyCacheTtlMs = 60 * 60 * 1000;

/** Configured URLs must already be in WHATWG-canonical form, so "exact string" and "parsed" agree. */
function checkConfiguredUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`Callback key URL is not a URL: ${JSON.stringify(url)}`);
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.href !== url) {
    throw new TypeError(
      `Callback key URL must be a canonical http(s) URL (did you mean ${JSON.stringify(parsed.href)}?)`,
    );
  }
  return url;
}

export function parsePublicKeyPem(pem: string): KeyObject {
  const key = createPublicKey({ key: pem, format: 'pem' });
  if (key.asymmetricKeyType !== 'rsa') throw new TypeError('Callback keys must be RSA public keys.');
  return key;
}

/** A configured prefix split into the two parts a key URL must match. */
interface KeyUrlPrefix {
  readonly origin: string;
  readonly path: string;
}

/** Configured prefixes are canonical origin + path ending in `/`, so `/_upcall` cannot match `/_upcallx`. */
function checkConfiguredPrefix(prefix: string): KeyUrlPrefix {
  const parsed = new URL(checkConfiguredUrl(prefix));
  if (`${parsed.origin}${parsed.pathname}` !== prefix || !parsed.pathname.endsWith('/')) {
    throw new TypeError(
      `Callback key URL prefix must be an origin and a path ending in "/", without userinfo, query or ` +
        `fragment: ${JSON.stringify(prefix)}`,
    );
  }
  return { origin: parsed.origin, path: parsed.pathname };
}

/**
 * True when `url` lies under one of `prefixes`. The URL must already be canonical and consist of origin
 * and path only (no userinfo, `?` or `#`, even empty ones): then parsing cannot disagree with the string,
 * so lookalike hosts, ports and dot segments fail the origin or path comparison. `%` is refused after the
 * prefix so a key server that decodes `%2F..` before routing cannot be steered outside it.
 */
function isUnderPrefix(url: string, prefixes: readonly KeyUrlPrefix[]): boolean {
  if (prefixes.length === 0 || !URL.canParse(url)) return false;
  const parsed = new URL(url);
  if (`${parsed.origin}${parsed.pathname}` !== url) return false;
  return prefixes.some(
    (prefix) =>
      parsed.origin === prefix.origin &&
      parsed.pathname.startsWith(prefix.path) &&
      parsed.pathname.length > prefix.path.length &&
      !parsed.pathname.slice(prefix.path.length).includes('%'),
  );
}

function buildPinnedKeys(options: CallbackKeyTrustOptions): Map<string, TrustedKey> {
  const pinned = new Map<string, TrustedKey>();
  if (options.trustOssKey !== false) {
    const key = parsePublicKeyPem(ossCallbackPublicKeyPem);
    for (const url of ossCallbackPublicKeyUrls) pinned.set(url, { url, source: 'oss', key });
  }
  for (const [url, pem] of Object.entries(options.pinnedKeys ?? {})) {
    pinned.set(checkConfiguredUrl(url), { url, source: 'pinned', key: parsePublicKeyPem(pem) });
  }
  return pinned;
}

/**
 * Pinned keys first; then the fetch allow-list and prefixes, with an in-memory TTL cache and one fetch in
 * flight per URL.
 */
class ConfiguredKeyTrust implements CallbackKeyTrust {
  readonly #pinned: Map<string, TrustedKey>;
  readonly #fetchable: Set<string>;
  readonly #prefixes: readonly KeyUrlPrefix[];
  readonly #cache = new Map<string, { key: TrustedKey; expiresAtMs: number }>();
  readonly #inFlight = new Map<string, Promise<TrustedKey>>();
  readonly #options: CallbackKeyTrustOptions;

  constructor(options: CallbackKeyTrustOptions) {
    this.#options = options;
    this.#pinned = buildPinnedKeys(options);
    this.#fetchable = new Set((options.fetchKeyUrls ?? []).map(checkConfiguredUrl));
    this.#prefixes = (options.fetchKeyUrlPrefixes ?? []).map(checkConfiguredPrefix);
  }

  #isFetchable(url: string): boolean {
    return this.#fetchable.has(url) || isUnderPrefix(url, this.#prefixes);
  }

  lookup(url: string): KeySource | undefined {
    return this.#pinned.get(url)?.source ?? (this.#isFetchable(url) ? 'fetched' : undefined);
  }

  resolve(url: string): Promise<TrustedKey> {
    const key = this.#settle(url);
    return key instanceof Promise ? key : Promise.resolve(key);
  }

  /** resolve() without the promise when the key is already at hand (pinned, or cached and fresh). */
  #settle(url: string): TrustedKey | Promise<TrustedKey> {
    const pinnedKey = this.#pinned.get(url);
    if (pinnedKey !== undefined) return pinnedKey;
    if (!this.#isFetchable(url)) {
      const message = `The callback key URL is not trusted: ${JSON.stringify(url)}`;
      return Promise.reject(
        new CallbackVerificationError('untrusted-key-url', message, { details: { keyUrl: url } }),
      );
    }
    const cached = this.#cache.get(url);
    if (cached !== undefined && cached.expiresAtMs > this.#now()) return cached.key;
    const pending = this.#inFlight.get(url) ?? this.#fetchKey(url);
    this.#inFlight.set(url, pending);
    return pending;
  }

  /** For settleKey() only: #settle stays off the instances' visible surface. */
  static settle(trust: ConfiguredKeyTrust, url: string): TrustedKey | Promise<TrustedKey> {
    return trust.#settle(url);
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  async #fetchKey(url: string): Promise<TrustedKey> {
    const options = this.#options;
    try {
      const pem = await readPublicKeyPem(url, {
        timeoutMs: Math.min(options.fetchTimeoutMs ?? maxKeyFetchTimeoutMs, maxKeyFetchTimeoutMs),
        maxBytes: Math.min(options.maxKeyBytes ?? defaultMaxKeyBytes, defaultMaxKeyBytes),
        fetch: options.fetch,
      });
      const key: TrustedKey = { url, source: 'fetched', key: parsePublicKeyPem(pem) };
      this.#cache.set(url, { key, expiresAtMs: this.#now() + (options.cacheTtlMs ?? defaultKeyCacheTtlMs) });
      return key;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CallbackVerificationError('key-unavailable', `Could not load the callback key: ${reason}`, {
        details: { keyUrl: url },
        cause: error,
      });
    } finally {
      this.#inFlight.delete(url);
    }
  }
}

/**
 * The key for a trusted URL like `trust.resolve(url)`, but returned directly when a createCallbackKeyTrust()
 * trust already holds it, so verifying with a cached key stays synchronous (scenario 4). Any other
 * CallbackKeyTrust implementation is asked through resolve(). Not part of the package API.
 */
export function settleKey(trust: CallbackKeyTrust, url: string): TrustedKey | Promise<TrustedKey> {
  return trust instanceof ConfiguredKeyTrust ? ConfiguredKeyTrust.settle(trust, url) : trust.resolve(url);
}

/** Throws TypeError at configuration time for non-canonical URLs or unusable PEMs. */
export function createCallbackKeyTrust(options: CallbackKeyTrustOptions = {}): CallbackKeyTrust {
  return new ConfiguredKeyTrust(options);
}
