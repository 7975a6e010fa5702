// The callback keys a running server holds: the current key (signs, advertised in x-oss-pub-key-url,
// oss-protocol §9.2–§9.4) and the retired public keys still inside their grace period. The ring is the
// server's CallbackSigningKey: its getters always describe the current key, and reload() (SIGHUP) swaps
// in what the key files say now, so a signature and its advertised URL are read together, synchronously.
import type { KeyObject } from 'node:crypto';
import type { ServerConfig } from '../config/server-config.js';
import type { CallbackSigningKey } from '../http/request-context.js';
import {
  buildAdvertisedKeyUrl,
  currentPublicKeyName,
  fingerprintPublicKey,
  parseFingerprintKeyName,
  type KeyUrlSettings,
} from './callback-key-names.js';
import {
  defaultCallbackKeyPath,
  readCallbackKeyFile,
  readOrCreateCallbackKey,
  type CallbackKeyMaterial,
} from './read-or-create-callback-key.js';
import { readRetiredCallbackKeys, type RetiredCallbackKey } from './retired-callback-keys.js';

export interface CurrentCallbackKey {
  readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
  readonly fingerprint: string;
}

export interface CallbackKeySet {
  readonly current: CurrentCallbackKey;
  readonly retired: readonly RetiredCallbackKey[];
  /** The key file the set was read from; undefined for an injected key (nothing to reload). */
  readonly keyFile: string | undefined;
  /** True when reading it generated the key (first start on this data directory). */
  readonly created: boolean;
}

export type InjectedCallbackKey = Pick<CallbackKeyMaterial, 'privateKey' | 'publicKeyPem'>;

export type KeySetConfig = Pick<ServerConfig, 'dataDir' | 'callbackKeyBits' | 'callbackPrivateKeyFile'>;

/** A public key the server publishes; `immutable` when its URL can never serve another key. */
export interface ServedPublicKey {
  readonly publicKeyPem: string;
  readonly immutable: boolean;
}

async function readFromFile(material: CallbackKeyMaterial): Promise<CallbackKeySet> {
  const { privateKey, publicKeyPem, fingerprint, path, created } = material;
  const retired = await readRetiredCallbackKeys(path);
  return { current: { privateKey, publicKeyPem, fingerprint }, retired, keyFile: path, created };
}

/** `--callback-private-key FILE` as given (never written), else `<dataDir>/callback-key.pem`, generated once. */
export async function readCallbackKeySet(
  config: KeySetConfig,
  injected?: InjectedCallbackKey,
): Promise<CallbackKeySet> {
  if (injected !== undefined) {
    const fingerprint = fingerprintPublicKey(injected.publicKeyPem);
    return { current: { ...injected, fingerprint }, retired: [], keyFile: undefined, created: false };
  }
  if (config.callbackPrivateKeyFile !== undefined) {
    return readFromFile(await readCallbackKeyFile(config.callbackPrivateKeyFile));
  }
  return readFromFile(await readOrCreateCallbackKey(config.dataDir, config.callbackKeyBits));
}

/** The key file servers with this configuration read (the one `upcall keys rotate` replaces). */
export function resolveCallbackKeyFile(
  config: Pick<KeySetConfig, 'dataDir' | 'callbackPrivateKeyFile'>,
): string {
  return config.callbackPrivateKeyFile ?? defaultCallbackKeyPath(config.dataDir);
}

export class CallbackKeyRing implements CallbackSigningKey {
  #set: CallbackKeySet;
  readonly #urls: KeyUrlSettings;

  constructor(set: CallbackKeySet, urls: KeyUrlSettings) {
    this.#set = set;
    this.#urls = urls;
  }

  get privateKey(): KeyObject {
    return this.#set.current.privateKey;
  }

  get publicKeyPem(): string {
    return this.#set.current.publicKeyPem;
  }

  get publicKeyUrl(): string {
    return buildAdvertisedKeyUrl(this.#urls, this.#set.current.fingerprint);
  }

  get keySet(): CallbackKeySet {
    return this.#set;
  }

  /** `callback-public-key.pem` (current) or `callback-public-key-<fingerprint>.pem` (current or retired). */
  findPublicKey(name: string, nowMs: number): ServedPublicKey | undefined {
    const { current, retired } = this.#set;
    if (name === currentPublicKeyName) return { publicKeyPem: current.publicKeyPem, immutable: false };
    const fingerprint = parseFingerprintKeyName(name);
    if (fingerprint === undefined) return undefined;
    if (fingerprint === current.fingerprint) return { publicKeyPem: current.publicKeyPem, immutable: true };
    const old = retired.find((key) => key.fingerprint === fingerprint && nowMs < key.servedUntilMs);
    return old === undefined ? undefined : { publicKeyPem: old.publicKeyPem, immutable: true };
  }

  /** Re-reads the key file and the retired list (after `upcall keys rotate`); keeps the old set on error. */
  async reload(): Promise<CallbackKeySet> {
    const { keyFile } = this.#set;
    if (keyFile === undefined)
      throw new Error('this server was given its callback key in code; nothing to reload');
    this.#set = await readFromFile(await readCallbackKeyFile(keyFile));
    return this.#set;
  }
}

const adoptedKeys = new WeakMap<CallbackSigningKey, CallbackKeyRing>();

/** The ring behind a server's signing key; a hand-built key (embedders, tests) serves only itself. */
export function toCallbackKeyRing(key: CallbackSigningKey): CallbackKeyRing {
  if (key instanceof CallbackKeyRing) return key;
  let ring = adoptedKeys.get(key);
  if (ring === undefined) {
    const { privateKey, publicKeyPem } = key;
    const current = { privateKey, publicKeyPem, fingerprint: fingerprintPublicKey(publicKeyPem) };
    const set: CallbackKeySet = { current, retired: [], keyFile: undefined, created: false };
    ring = new CallbackKeyRing(set, { publicEndpoint: '', callbackKeyUrl: key.publicKeyUrl });
    adoptedKeys.set(key, ring);
  }
  return ring;
}
