// issueStsCredentials(user, options): temporary OSS credentials for one user's folder, from Alibaba
// Cloud STS (`https://sts.aliyuncs.com`, the default) or Upcall's local STS (`<server>/_upcall/sts`) —
// the same AssumeRole request either way, so switching is configuration (docs/large-uploads.md). The
// browser then runs ali-oss with `{accessKeyId, accessKeySecret, stsToken}`.
import { randomUUID } from 'node:crypto';
import { buildUserKeyPrefix, encodeUserSegment } from '../tickets/build-object-key.js';
import { buildUserStsPolicy, defaultStsActions } from './build-user-sts-policy.js';
import { signRpcRequest as signStsRequest } from '@upcall/protocol';
import { readStsResponse, type StsCredentials } from './read-sts-response.js';

export const alibabaStsEndpoint = 'https://sts.aliyuncs.com';
export const defaultStsDurationSeconds = 900;

export interface IssueStsCredentialsOptions {
  /** RAM user (or local server) key allowed to call AssumeRole. */
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** `acs:ram::<account>:role/<name>`; any well-formed ARN for the local STS. */
  readonly roleArn: string;
  readonly bucket: string;
  /** Default: Alibaba Cloud STS. Upcall: `<upcall server>/_upcall/sts`. */
  readonly endpoint?: string;
  /** Folder root; the user's prefix is `<root><encoded user id>/` (default `uploads/`, as tickets use). */
  readonly keyPrefixRoot?: string;
  readonly actions?: readonly string[];
  /** 900 (STS minimum, the default) up to the role's MaxSessionDuration. */
  readonly durationSeconds?: number;
  readonly timeoutMs?: number;
  /** Injected for tests. */
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  readonly newNonce?: () => string;
}

export interface IssuedStsCredentials extends StsCredentials {
  readonly bucket: string;
  /** The folder the credentials are limited to. */
  readonly keyPrefix: string;
}

/** RoleSessionName: 2–64 of [A-Za-z0-9.@_-] (STS); the user id, re-encoded and cut to fit. */
export function buildRoleSessionName(userId: string): string {
  return `u-${encodeUserSegment(userId).replace(/%/g, '.')}`.slice(0, 64);
}

function buildParams(
  userId: string,
  keyPrefix: string,
  options: IssueStsCredentialsOptions,
): Map<string, string> {
  const policy = buildUserStsPolicy(options.bucket, keyPrefix, options.actions ?? defaultStsActions);
  return new Map([
    ['Action', 'AssumeRole'],
    ['RoleArn', options.roleArn],
    ['RoleSessionName', buildRoleSessionName(userId)],
    ['DurationSeconds', String(options.durationSeconds ?? defaultStsDurationSeconds)],
    ['Policy', JSON.stringify(policy)],
    ['Format', 'JSON'],
    ['Version', '2015-04-01'],
    ['AccessKeyId', options.accessKeyId],
    ['SignatureMethod', 'HMAC-SHA1'],
    ['SignatureVersion', '1.0'],
    ['SignatureNonce', (options.newNonce ?? randomUUID)()],
    ['Timestamp', new Date((options.now ?? Date.now)()).toISOString().replace(/\.\d{3}Z$/, 'Z')],
  ]);
}

export async function issueStsCredentials(
  user: string | { readonly id: string },
  options: IssueStsCredentialsOptions,
): Promise<IssuedStsCredentials> {
  const userId = typeof user === 'string' ? user : user.id;
  if (userId === '') throw new Error('issueStsCredentials needs a non-empty user id');
  const keyPrefix = buildUserKeyPrefix(userId, options.keyPrefixRoot);
  const params = buildParams(userId, keyPrefix, options);
  params.set('Signature', signStsRequest('POST', params, options.accessKeySecret));
  const response = await (options.fetch ?? fetch)(options.endpoint ?? alibabaStsEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams([...params]).toString(),
    redirect: 'error',
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  return { ...(await readStsResponse(response)), bucket: options.bucket, keyPrefix };
}
