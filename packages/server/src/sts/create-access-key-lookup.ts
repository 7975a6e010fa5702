// The server's credential lookup for every auth scheme (header/presigned V1/V4, PostObject V1/V4, and
// STS's own RPC requests): the permanent key pair, or a temporary `STS.…` key whose SecurityToken is
// opened and checked here. OSS errors (oss-protocol §10.2; Alibaba Cloud OSS EC pages 0002-00000002,
// -00000004, -00000006, -00000007):
//   temporary key without a token            ⇒ InvalidAccessKeyId (the key "does not exist", 0002-00000002)
//   token not sealed by this server's key    ⇒ InvalidSecurityToken (0002-00000006)
//   token sealed for another temporary key   ⇒ InvalidSecurityToken (0002-00000004)
//   token past its Expiration                ⇒ SecurityTokenExpired (0002-00000007)
import { OssError } from '@upcall/protocol';
import {
  decodeStsToken,
  deriveTemporarySecret,
  isTemporaryAccessKeyId,
  type StsKeys,
  type StsSession,
} from './sts-token.js';

export interface StsRuntime {
  readonly keys: StsKeys;
  /** Longest session AssumeRole grants (the role's MaxSessionDuration). */
  readonly maxDurationSeconds: number;
}

/** What a lookup yields: the secret to verify with, and for STS keys the token and the session. */
export interface ServerAccessKey {
  readonly secret: string;
  /** Set for temporary keys: the request must carry exactly this token (lookup-access-key.ts). */
  readonly securityToken?: string;
  readonly session?: StsSession;
}

export type AccessKeyLookup = (accessKeyId: string, securityToken?: string) => ServerAccessKey | undefined;

export const invalidTokenEc = '0002-00000006';
export const mismatchedTokenEc = '0002-00000004';
export const expiredTokenEc = '0002-00000007';

function invalidToken(accessKeyId: string, ec: string): OssError {
  return new OssError('InvalidSecurityToken', { ec, extra: [['OSSAccessKeyId', accessKeyId]] });
}

/** Opens a temporary key's token; throws the OSS error for a bad, foreign, mismatched or expired one. */
export function openStsSession(
  sts: StsRuntime,
  accessKeyId: string,
  token: string,
  nowMs: number,
): StsSession {
  const session = decodeStsToken(token, sts.keys);
  if (session === undefined) throw invalidToken(accessKeyId, invalidTokenEc);
  if (session.accessKeyId !== accessKeyId) throw invalidToken(accessKeyId, mismatchedTokenEc);
  // Valid while now < Expiration (INFERRED: the instant of expiry is already expired).
  if (nowMs >= session.expiresMs) {
    throw new OssError('SecurityTokenExpired', {
      ec: expiredTokenEc,
      extra: [['OSSAccessKeyId', accessKeyId]],
    });
  }
  return session;
}

export function createAccessKeyLookup(
  permanent: { readonly accessKeyId: string; readonly accessKeySecret: string },
  sts: StsRuntime | undefined,
  now: () => number,
): AccessKeyLookup {
  const permanentKey: ServerAccessKey = { secret: permanent.accessKeySecret };
  return (accessKeyId, securityToken) => {
    if (accessKeyId === permanent.accessKeyId) return permanentKey;
    if (sts === undefined || !isTemporaryAccessKeyId(accessKeyId)) return undefined;
    if (securityToken === undefined || securityToken === '') return undefined;
    const session = openStsSession(sts, accessKeyId, securityToken, now());
    return { secret: deriveTemporarySecret(sts.keys, accessKeyId), securityToken, session };
  };
}
