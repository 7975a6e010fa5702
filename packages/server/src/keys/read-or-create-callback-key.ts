// The RSA key the server signs upload callbacks with (oss-protocol §9.3). OSS publishes its public key at
// a stable URL (§9.4); ours is generated on first start (async, off the event loop), kept as PKCS#8 PEM
// in `<dataDir>/callback-key.pem` (0600) and served under `/_upcall/` (keys/callback-key-names.ts) — or
// given by the operator (`--callback-private-key FILE`), which the server then only reads.
import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigError } from '../config/config-error.js';
import { fingerprintPublicKey } from './callback-key-names.js';
import { readIfPresent, writePrivateFileOnce } from './write-private-file.js';

export const callbackKeyFileName = 'callback-key.pem';

export interface CallbackKeyMaterial {
  readonly privateKey: KeyObject;
  /** SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`), the format OSS serves (§9.4). */
  readonly publicKeyPem: string;
  /** keys/callback-key-names.ts fingerprintPublicKey of publicKeyPem. */
  readonly fingerprint: string;
  readonly created: boolean;
  readonly path: string;
}

const generateRsaKeyPair = promisify(generateKeyPair);

export function defaultCallbackKeyPath(dataDir: string): string {
  return join(dataDir, callbackKeyFileName);
}

/** Public half and fingerprint of a signing key. */
export function describePrivateKey(privateKey: KeyObject): { publicKeyPem: string; fingerprint: string } {
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { publicKeyPem, fingerprint: fingerprintPublicKey(publicKeyPem) };
}

function toMaterial(privateKey: KeyObject, created: boolean, path: string): CallbackKeyMaterial {
  return { privateKey, ...describePrivateKey(privateKey), created, path };
}

export function parseCallbackPrivateKey(pem: string, path: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new ConfigError([`${path} is not a PEM private key; fix it or delete it to generate a new one.`]);
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new ConfigError([`${path} must hold an RSA key (callbacks are signed with RSA, §9.3).`]);
  }
  return key;
}

/** A fresh RSA key as PKCS#8 PEM. */
export async function generateCallbackKeyPem(bits: number): Promise<string> {
  const { privateKey } = await generateRsaKeyPair('rsa', { modulusLength: bits });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** An existing key file (operator-provided or rotated); a missing file is a ConfigError, never generated. */
export async function readCallbackKeyFile(path: string): Promise<CallbackKeyMaterial> {
  let pem: string | undefined;
  try {
    pem = await readIfPresent(path);
  } catch (error) {
    throw new ConfigError([`${path} cannot be read: ${(error as Error).message}`]);
  }
  if (pem === undefined) throw new ConfigError([`${path} does not exist (callback private key).`]);
  return toMaterial(parseCallbackPrivateKey(pem, path), false, path);
}

export async function readOrCreateCallbackKey(dataDir: string, bits: number): Promise<CallbackKeyMaterial> {
  const path = defaultCallbackKeyPath(dataDir);
  const existing = await readIfPresent(path);
  if (existing !== undefined) return toMaterial(parseCallbackPrivateKey(existing, path), false, path);
  const pem = await generateCallbackKeyPem(bits);
  if (await writePrivateFileOnce(path, pem)) return toMaterial(createPrivateKey(pem), true, path);
  // Another process created it while we generated ours: use theirs.
  return readOrCreateCallbackKey(dataDir, bits);
}
