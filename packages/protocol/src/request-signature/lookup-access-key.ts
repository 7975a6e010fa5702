// Access-key lookup plus the STS token rule shared by every scheme.
import { OssError } from '../errors/index.js';
import { buildUnknownAccessKeyError } from './auth-errors.js';
import { checkSignatureEqual } from './compare-signature.js';
import type { AccessKeyRecord, VerifyRequestDeps } from './verify-types.js';

/**
 * The token is handed to the lookup (stateless STS: the token *is* the session, and the server derives
 * the temporary secret from it; the lookup may throw InvalidSecurityToken / SecurityTokenExpired).
 * Unknown AK ⇒ InvalidAccessKeyId (D11). An STS key whose token is missing or different ⇒ also
 * InvalidAccessKeyId (INFERRED: OSS validates STS AK and token together). A token sent with a permanent
 * key is ignored (INFERRED leniency; it is signed like any x-oss-* header or sub-resource anyway).
 */
export function lookupAccessKey(
  deps: VerifyRequestDeps,
  accessKeyId: string,
  tokenSent: string | undefined,
): AccessKeyRecord {
  const record = deps.lookupSecret(accessKeyId, tokenSent);
  if (record === undefined) throw buildUnknownAccessKeyError(accessKeyId);
  const expected = record.securityToken;
  if (expected !== undefined && (tokenSent === undefined || !checkSignatureEqual(tokenSent, expected))) {
    throw new OssError('InvalidAccessKeyId', {
      message: 'The security token you provided is invalid.',
      extra: [['OSSAccessKeyId', accessKeyId]],
    });
  }
  return record;
}
