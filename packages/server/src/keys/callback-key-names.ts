// Where callback public keys are published and which URL a callback advertises in x-oss-pub-key-url
// (oss-protocol §9.2, §9.4). OSS's own key never changes, so verifiers cache it by URL; ours can be
// rotated (keys/rotate-callback-key.ts), so every key also gets a URL of its own, named by fingerprint:
// a verifier that cached a key under that URL can never be handed a different key there.
import { createHash, createPublicKey } from 'node:crypto';

/** `/_upcall/<name>`: always the key that signs now (kept for configurations that predate rotation). */
export const currentPublicKeyName = 'callback-public-key.pem';

/** Hex digits of SHA-256(DER SubjectPublicKeyInfo) kept in a fingerprint (128 bits). */
export const fingerprintHexDigits = 32;

/**
 * The key a proxied `GET http://gosspublic.alicdn.com/upcall_dev_key.pem` is answered with in dev-key
 * mode (http/dev-key-proxy.ts). Verifiers written after OSS's demos accept it because it passes their
 * `http(s)://gosspublic.alicdn.com/` prefix check (§9.4, §9.7).
 */
export const devKeyProxyUrl = 'http://gosspublic.alicdn.com/upcall_dev_key.pem';

/** First 32 hex digits of SHA-256 over the DER SubjectPublicKeyInfo (`openssl pkey -pubin -outform DER | sha256sum`). */
export function fingerprintPublicKey(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, fingerprintHexDigits);
}

/** `callback-public-key-<fingerprint>.pem`. */
export function buildFingerprintKeyName(fingerprint: string): string {
  return `callback-public-key-${fingerprint}.pem`;
}

/** The fingerprint named by `callback-public-key-<fingerprint>.pem`, or undefined for any other name. */
export function parseFingerprintKeyName(name: string): string | undefined {
  const match = /^callback-public-key-([0-9a-f]{32})\.pem$/.exec(name);
  return match?.[1];
}

export interface KeyUrlSettings {
  readonly publicEndpoint: string;
  readonly callbackKeyUrl?: string | undefined;
  readonly devKeyProxy?: boolean | undefined;
}

/** `/_upcall/<rest>` URL of a reserved resource under `publicEndpoint`. */
export function buildReservedUrl(publicEndpoint: string, rest: string): string {
  return `${publicEndpoint.replace(/\/+$/, '')}/_upcall/${rest}`;
}

/**
 * The URL a callback signed with the key `fingerprint` advertises: the dev-key URL in dev-key mode, the
 * configured template (with `{fingerprint}` filled in), or this server's fingerprint URL.
 */
export function buildAdvertisedKeyUrl(settings: KeyUrlSettings, fingerprint: string): string {
  if (settings.devKeyProxy === true) return devKeyProxyUrl;
  if (settings.callbackKeyUrl !== undefined) {
    return settings.callbackKeyUrl.replaceAll('{fingerprint}', fingerprint);
  }
  return buildReservedUrl(settings.publicEndpoint, buildFingerprintKeyName(fingerprint));
}
