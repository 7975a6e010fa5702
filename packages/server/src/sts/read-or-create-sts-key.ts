// The local STS's one secret: 32 random bytes from which the token-encryption key and the temporary
// secrets are derived (sts-token.ts). Every instance behind one load balancer must hold the same key so
// each accepts the others' tokens (docs/adr/0009-local-sts.md); it is given as `--sts-key` (Base64), read
// from `--sts-key-file`, or generated on first start into `<dataDir>/sts-key` (0600), like credentials.json.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ConfigError } from '../config/config-error.js';
import { readIfPresent, writePrivateFileOnce } from '../keys/write-private-file.js';

export const stsKeyFileName = 'sts-key';
export const stsKeyBytes = 32;

export interface StoredStsKey {
  readonly key: Buffer;
  readonly created: boolean;
  readonly path: string | undefined;
}

/** Base64 (standard or URL-safe) of exactly 32 bytes; surrounding whitespace (a trailing newline) ignored. */
export function parseStsKey(text: string, origin: string): Buffer {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, 'base64');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed) || key.length !== stsKeyBytes) {
    throw new ConfigError([`${origin} must be the Base64 encoding of ${stsKeyBytes} random bytes.`]);
  }
  return key;
}

export function generateStsKey(): Buffer {
  return randomBytes(stsKeyBytes);
}

export interface StsKeySource {
  readonly dataDir: string;
  /** `--sts-key`: the key itself (Base64). Wins over the file. */
  readonly keyText?: string | undefined;
  /** `--sts-key-file`: an operator-provided file, never written by the server. */
  readonly keyFile?: string | undefined;
}

export async function readOrCreateStsKey(
  source: StsKeySource,
  generate: () => Buffer = generateStsKey,
): Promise<StoredStsKey> {
  if (source.keyText !== undefined) {
    return { key: parseStsKey(source.keyText, '--sts-key'), created: false, path: undefined };
  }
  if (source.keyFile !== undefined) {
    const text = await readIfPresent(source.keyFile);
    if (text === undefined) throw new ConfigError([`--sts-key-file ${source.keyFile} does not exist.`]);
    return { key: parseStsKey(text, source.keyFile), created: false, path: source.keyFile };
  }
  const path = join(source.dataDir, stsKeyFileName);
  const existing = await readIfPresent(path);
  if (existing !== undefined) return { key: parseStsKey(existing, path), created: false, path };
  const fresh = generate();
  if (await writePrivateFileOnce(path, `${fresh.toString('base64')}\n`))
    return { key: fresh, created: true, path };
  // Another process created it between our read and write: use theirs.
  return readOrCreateStsKey(source, generate);
}
