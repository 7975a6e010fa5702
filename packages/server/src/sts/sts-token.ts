// Stateless STS credentials (docs/adr/0009-local-sts.md). The SecurityToken is the session itself,
// sealed with AES-256-GCM under a key derived from the server's STS key: it cannot be read, forged or
// altered without that key, and any instance holding the key accepts it — nothing is stored. The
// temporary AccessKeySecret is HMAC-SHA256(secret-derivation key, temporary AccessKeyId), so it is
// recomputed on every request instead of being remembered.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

export interface StsSession {
  /** `STS.…`: the temporary AccessKeyId. */
  readonly accessKeyId: string;
  /** The permanent key that called AssumeRole (or, for role chaining, that key's own parent). */
  readonly parentAccessKeyId: string;
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly issuedMs: number;
  readonly expiresMs: number;
  /** Inline policy documents, all of which must allow a request (the caller's, then this session's). */
  readonly policies: readonly string[];
}

export interface StsKeys {
  readonly tokenKey: Buffer;
  readonly secretKey: Buffer;
}

export const stsTokenPrefix = 'UPCSTS1.';
export const temporaryAccessKeyPrefix = 'STS.';
const ivBytes = 12;
const tagBytes = 16;
const aad = Buffer.from('upcall-sts-token-v1', 'utf8');
/** Tokens are sent in a header; OSS headers are capped far above this but Node's total is 16 KiB. */
export const maxStsTokenChars = 8192;

/** Two independent keys from the one stored secret (HMAC as a KDF with fixed labels). */
export function deriveStsKeys(master: Buffer): StsKeys {
  const derive = (label: string): Buffer => createHmac('sha256', master).update(label, 'utf8').digest();
  return {
    tokenKey: derive('upcall-sts/token-encryption'),
    secretKey: derive('upcall-sts/temporary-secret'),
  };
}

export function isTemporaryAccessKeyId(accessKeyId: string): boolean {
  return accessKeyId.startsWith(temporaryAccessKeyPrefix);
}

const alnum = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz123456789';

/** `STS.` + 24 characters from a Base58-like alphabet, the shape of Alibaba Cloud's temporary ids. */
export function generateTemporaryAccessKeyId(random: (bytes: number) => Buffer = randomBytes): string {
  const bytes = random(24);
  let out = temporaryAccessKeyPrefix;
  for (const byte of bytes) out += alnum[byte % alnum.length];
  return out;
}

export function deriveTemporarySecret(keys: StsKeys, accessKeyId: string): string {
  return createHmac('sha256', keys.secretKey).update(accessKeyId, 'utf8').digest('base64url').slice(0, 40);
}

function toPayload(session: StsSession): string {
  return JSON.stringify({
    v: 1,
    ak: session.accessKeyId,
    pk: session.parentAccessKeyId,
    ra: session.roleArn,
    rs: session.roleSessionName,
    ia: session.issuedMs,
    ex: session.expiresMs,
    po: session.policies,
  });
}

export function encodeStsToken(
  session: StsSession,
  keys: StsKeys,
  random: (bytes: number) => Buffer = randomBytes,
): string {
  const iv = random(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', keys.tokenKey, iv, { authTagLength: tagBytes });
  cipher.setAAD(aad);
  const sealed = Buffer.concat([cipher.update(toPayload(session), 'utf8'), cipher.final()]);
  return stsTokenPrefix + Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function fromPayload(text: string): StsSession | undefined {
  const p = JSON.parse(text) as Record<string, unknown>;
  const { ak, pk, ra, rs, ia, ex, po } = p;
  if (p.v !== 1 || typeof ak !== 'string' || typeof pk !== 'string' || typeof ra !== 'string')
    return undefined;
  if (typeof rs !== 'string' || typeof ia !== 'number' || typeof ex !== 'number' || !isStringArray(po)) {
    return undefined;
  }
  return {
    accessKeyId: ak,
    parentAccessKeyId: pk,
    roleArn: ra,
    roleSessionName: rs,
    issuedMs: ia,
    expiresMs: ex,
    policies: po,
  };
}

/** The session a token seals, or undefined when it is malformed, altered or sealed under another key. */
export function decodeStsToken(token: string, keys: StsKeys): StsSession | undefined {
  if (!token.startsWith(stsTokenPrefix) || token.length > maxStsTokenChars) return undefined;
  const body = token.slice(stsTokenPrefix.length);
  if (!/^[A-Za-z0-9_-]+$/.test(body)) return undefined;
  const raw = Buffer.from(body, 'base64url');
  if (raw.length < ivBytes + tagBytes + 2) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.tokenKey, raw.subarray(0, ivBytes), {
      authTagLength: tagBytes,
    });
    decipher.setAAD(aad);
    decipher.setAuthTag(raw.subarray(raw.length - tagBytes));
    const plain = Buffer.concat([
      decipher.update(raw.subarray(ivBytes, raw.length - tagBytes)),
      decipher.final(),
    ]);
    return fromPayload(plain.toString('utf8'));
  } catch {
    // Authentication failure (tampered, or sealed under another server's key) or an unparsable payload.
    return undefined;
  }
}
