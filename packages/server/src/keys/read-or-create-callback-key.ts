// The RSA key the server signs upload callbacks with (oss-protocol §9.3). OSS publishes its public key at
// a stable URL (§9.4); ours is generated on first start (async, off the event loop), kept as PKCS#8 PEM
// in `<dataDir>/callback-key.pem` (0600) and served at `/_upcall/callback-public-key.pem`.
import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigError } from '../config/config-error.js';
import { readIfPresent, writePrivateFileOnce } from './write-private-file.js';

export const callbackKeyFileName = 'callback-key.pem';

export interface CallbackKeyMaterial {
  readonly privateKey: KeyObject;
  /** SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`), the format OSS serves (§9.4). */
  readonly publicKeyPem: string;
  readonly created: boolean;
  readonly path: string;
}

const generateRsaKeyPair = promisify(generateKeyPair);

function toMaterial(privateKey: KeyObject, created: boolean, path: string): CallbackKeyMaterial {
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey, publicKeyPem, created, path };
}

function parsePrivateKey(pem: string, path: string): KeyObject {
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

export async function readOrCreateCallbackKey(dataDir: string, bits: number): Promise<CallbackKeyMaterial> {
  const path = join(dataDir, callbackKeyFileName);
  const existing = await readIfPresent(path);
  if (existing !== undefined) return toMaterial(parsePrivateKey(existing, path), false, path);
  const { privateKey } = await generateRsaKeyPair('rsa', { modulusLength: bits });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  if (await writePrivateFileOnce(path, pem)) return toMaterial(privateKey, true, path);
  // Another process created it while we generated ours: use theirs.
  return readOrCreateCallbackKey(dataDir, bits);
}
