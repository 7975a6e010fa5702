// The inline RAM policy that scopes STS credentials to one user's folder (Alibaba Cloud "Use temporary
// credentials provided by STS to access OSS"): the multipart-capable write/read actions on
// `acs:oss:*:*:<bucket>/<prefix>*` only. The prefix comes from buildUserKeyPrefix, which percent-encodes
// every character outside [A-Za-z0-9_-] — so a user id can never inject the `*`/`?` wildcards.
export const defaultStsActions: readonly string[] = [
  'oss:PutObject',
  'oss:GetObject',
  'oss:ListParts',
  'oss:AbortMultipartUpload',
];

export interface RamPolicyDocument {
  readonly Version: '1';
  readonly Statement: ReadonlyArray<{
    readonly Effect: 'Allow' | 'Deny';
    readonly Action: readonly string[];
    readonly Resource: readonly string[];
  }>;
}

export function buildUserStsPolicy(
  bucket: string,
  keyPrefix: string,
  actions: readonly string[] = defaultStsActions,
): RamPolicyDocument {
  if (/[*?]/.test(bucket) || /[*?]/.test(keyPrefix))
    throw new Error('bucket and prefix must not contain * or ?');
  return {
    Version: '1',
    Statement: [{ Effect: 'Allow', Action: [...actions], Resource: [`acs:oss:*:*:${bucket}/${keyPrefix}*`] }],
  };
}
