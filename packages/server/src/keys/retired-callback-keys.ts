// Public halves of rotated-out callback keys, kept beside the key file (`callback-key.pem` →
// `callback-key.retired.json`) so servers keep serving them under their fingerprint URL until the grace
// period ends: a verifier still fetching the key for a callback signed just before the rotation gets the
// right key. Only public keys are kept — a retired key never signs again, so its private half is dropped.
import { ConfigError } from '../config/config-error.js';
import { fingerprintPublicKey } from './callback-key-names.js';
import { readIfPresent } from './write-private-file.js';

export interface RetiredCallbackKey {
  readonly fingerprint: string;
  readonly publicKeyPem: string;
  readonly retiredAtMs: number;
  /** Served (under its fingerprint URL) while now < servedUntilMs. */
  readonly servedUntilMs: number;
}

interface RetiredKeyRecord {
  readonly fingerprint: string;
  readonly retiredAt: string;
  readonly servedUntil: string;
  readonly publicKeyPem: string;
}

/** `<dir>/<name without .pem>.retired.json`, beside the key file. */
export function retiredKeysPathFor(keyFile: string): string {
  return `${keyFile.replace(/\.pem$/i, '')}.retired.json`;
}

function parseTime(value: unknown): number {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw new Error('retiredAt/servedUntil must be ISO 8601 times');
  return ms;
}

function parseRecord(value: unknown): RetiredCallbackKey {
  const record = (value ?? {}) as Partial<Record<keyof RetiredKeyRecord, unknown>>;
  if (typeof record.publicKeyPem !== 'string' || typeof record.fingerprint !== 'string') {
    throw new Error('every entry needs "fingerprint" and "publicKeyPem" strings');
  }
  let fingerprint: string;
  try {
    fingerprint = fingerprintPublicKey(record.publicKeyPem);
  } catch {
    throw new Error(`the key of ${record.fingerprint} is not a PEM public key`);
  }
  if (fingerprint !== record.fingerprint) {
    throw new Error(`fingerprint ${record.fingerprint} does not match its key (${fingerprint})`);
  }
  return {
    fingerprint,
    publicKeyPem: record.publicKeyPem,
    retiredAtMs: parseTime(record.retiredAt),
    servedUntilMs: parseTime(record.servedUntil),
  };
}

export function parseRetiredCallbackKeys(text: string, path: string): RetiredCallbackKey[] {
  try {
    const parsed = JSON.parse(text) as { retiredCallbackKeys?: unknown } | null;
    const list = parsed?.retiredCallbackKeys;
    if (!Array.isArray(list)) throw new Error('expected {"retiredCallbackKeys": [...]}');
    return list.map(parseRecord);
  } catch (error) {
    throw new ConfigError([`${path} is damaged: ${(error as Error).message}. Fix it or delete it.`]);
  }
}

export function encodeRetiredCallbackKeys(keys: readonly RetiredCallbackKey[]): string {
  const records: RetiredKeyRecord[] = keys.map((key) => ({
    fingerprint: key.fingerprint,
    retiredAt: new Date(key.retiredAtMs).toISOString(),
    servedUntil: new Date(key.servedUntilMs).toISOString(),
    publicKeyPem: key.publicKeyPem,
  }));
  return `${JSON.stringify({ retiredCallbackKeys: records }, null, 2)}\n`;
}

/** The retired keys recorded beside `keyFile`; none when the file does not exist. */
export async function readRetiredCallbackKeys(keyFile: string): Promise<RetiredCallbackKey[]> {
  const path = retiredKeysPathFor(keyFile);
  const text = await readIfPresent(path);
  return text === undefined ? [] : parseRetiredCallbackKeys(text, path);
}
