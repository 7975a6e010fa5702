// PostObject authentication and policy (oss-protocol §3.4, §3.9 steps 3–10, §4, §5): a closed switch over
// anonymous / V1 / V4 that defaults to deny (architecture §3, threats §B1, §B8). Throws OssError.
import { timingSafeEqual } from 'node:crypto';
import {
  OssError,
  checkPolicy,
  checkV4PostDate,
  findPolicyExactValue,
  parsePolicy,
  parseV4Credential,
  verifyPostSignature,
  type PostPolicy,
  type PostSignatureCheck,
  type Verdict,
} from '@upcall/protocol';
import type { BucketInfo } from '../../store/object-store.js';
import type { ServerDeps } from '../../http/request-context.js';
import { postFormFields as f, postV4SignatureVersion } from './post-form-fields.js';
import { checkStsAccess } from '../../sts/check-sts-access.js';
import type { StsSession } from '../../sts/sts-token.js';

export interface PostAuthorizationInput {
  readonly fields: ReadonlyMap<string, string>;
  readonly bucket: BucketInfo;
  readonly nowMs: number;
  readonly lookupSecret: ServerDeps['lookupSecret'];
}

export type PostAuthorization =
  | { readonly mode: 'anonymous' }
  | {
      readonly mode: 'v1' | 'v4';
      readonly accessKeyId: string;
      readonly policy: PostPolicy;
      /** Temporary STS credentials: checkPostAccess must still pass once the key is rendered. */
      readonly session?: StsSession;
    };

type PostAuthMode = 'anonymous' | 'v1' | 'v4';

const v1Fields = [f.accessKeyId, f.signature] as const;
const v4Fields = [f.signatureVersion, f.credential, f.v4Signature] as const;

function invalidArgument(message: string, argumentName: string, ec?: string): OssError {
  return new OssError('InvalidArgument', { message, ec, extra: [['ArgumentName', argumentName]] });
}

/** §3.9 step 3. V1 and V4 fields together are two mechanisms in one request (threats §C1.5). */
function detectPostAuthMode(fields: ReadonlyMap<string, string>): PostAuthMode {
  const hasV1 = v1Fields.some((name) => fields.has(name));
  const hasV4 = v4Fields.some((name) => fields.has(name));
  if (hasV1 && hasV4) {
    throw invalidArgument(
      'V1 (OSSAccessKeyId, Signature) and V4 (x-oss-*) signature fields were both sent.',
      'x-oss-signature-version',
    );
  }
  if (hasV4) return 'v4';
  return hasV1 || fields.has(f.policy) ? 'v1' : 'anonymous';
}

/** §3.4: once any auth field is present, every one is required (EC 0002-00000702/703/704, D9). */
function requireField(
  fields: ReadonlyMap<string, string>,
  name: string,
  wireName: string,
  ec?: { missing?: string; empty?: string },
): string {
  const value = fields.get(name);
  if (value === undefined)
    throw invalidArgument(`The form field ${wireName} is required.`, wireName, ec?.missing);
  if (value === '')
    throw invalidArgument(
      `The form field ${wireName} must not be empty.`,
      wireName,
      ec?.empty ?? ec?.missing,
    );
  return value;
}

function textEquals(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

interface PostSecret {
  readonly secret: string;
  readonly session: StsSession | undefined;
}

/**
 * §3.9 step 5: unknown AK ⇒ InvalidAccessKeyId (D10); an STS key needs its own token (§3.4), which the
 * lookup opens (sts/create-access-key-lookup.ts: InvalidSecurityToken, SecurityTokenExpired). An empty
 * token field is "no token" (oss2 sends it empty for permanent keys, §3.4).
 */
function lookupPostSecret(input: PostAuthorizationInput, accessKeyId: string): PostSecret {
  const sent = input.fields.get(f.securityToken);
  const token = sent === '' ? undefined : sent;
  const record = input.lookupSecret(accessKeyId, token);
  if (record === undefined)
    throw new OssError('InvalidAccessKeyId', { extra: [['OSSAccessKeyId', accessKeyId]] });
  if (
    record.securityToken !== undefined &&
    (token === undefined || !textEquals(token, record.securityToken))
  ) {
    throw new OssError('InvalidAccessKeyId', {
      message: 'The security token you provided is invalid.',
      extra: [['OSSAccessKeyId', accessKeyId]],
    });
  }
  return { secret: record.secret, session: record.session };
}

/** PostObject is oss:PutObject on the rendered key (RAM); throws AccessDenied for a session without it. */
export function checkPostAccess(auth: PostAuthorization, bucket: string, key: string): void {
  if (auth.mode === 'anonymous' || auth.session === undefined) return;
  checkStsAccess(auth.session, { operation: 'PostObject', bucket, key });
}

function requireSignature(check: PostSignatureCheck, accessKeyId: string): void {
  if (verifyPostSignature(check)) return;
  throw new OssError('SignatureDoesNotMatch', {
    extra: [
      ['OSSAccessKeyId', accessKeyId],
      ['SignatureProvided', check.signature],
      ['StringToSign', check.policyBase64],
    ],
  });
}

function throwIfFailed(verdict: Verdict): void {
  if (!verdict.ok) throw verdict.error;
}

const signatureEc = { missing: '0002-00000703', empty: '0002-00000704' };
const policyEc = { missing: '0002-00000702' };

function authorizeV1(input: PostAuthorizationInput): PostAuthorization {
  const { fields } = input;
  const accessKeyId = requireField(fields, f.accessKeyId, 'OSSAccessKeyId');
  const policyBase64 = requireField(fields, f.policy, 'policy', policyEc);
  const signature = requireField(fields, f.signature, 'Signature', signatureEc);
  const { secret, session } = lookupPostSecret(input, accessKeyId);
  requireSignature({ version: 'v1', policyBase64, signature, accessKeySecret: secret }, accessKeyId);
  const policy = parsePolicy(policyBase64);
  throwIfFailed(checkPolicy(policy, { fields, bucket: input.bucket.name, nowMs: input.nowMs }));
  return { mode: 'v1', accessKeyId, policy, ...(session === undefined ? {} : { session }) };
}

function authorizeV4(input: PostAuthorizationInput): PostAuthorization {
  const { fields } = input;
  const version = requireField(fields, f.signatureVersion, 'x-oss-signature-version');
  if (version !== postV4SignatureVersion) {
    throw invalidArgument(
      `x-oss-signature-version must be ${postV4SignatureVersion}.`,
      'x-oss-signature-version',
    );
  }
  const credential = parseV4Credential(requireField(fields, f.credential, 'x-oss-credential'));
  const xOssDate = requireField(fields, f.date, 'x-oss-date');
  const policyBase64 = requireField(fields, f.policy, 'policy', policyEc);
  const signature = requireField(fields, f.v4Signature, 'x-oss-signature', signatureEc);
  const { secret, session } = lookupPostSecret(input, credential.accessKeyId);
  const scope = { accessKeySecret: secret, date: credential.date, region: credential.region };
  requireSignature({ version: 'v4', policyBase64, signature, ...scope }, credential.accessKeyId);
  const policy = parsePolicy(policyBase64);
  const policyXOssDate = findPolicyExactValue(policy, f.date);
  throwIfFailed(
    checkV4PostDate({ xOssDate, credentialDate: credential.date, policyXOssDate, nowMs: input.nowMs }),
  );
  throwIfFailed(checkPolicy(policy, { fields, bucket: input.bucket.name, nowMs: input.nowMs }));
  const sessionPart = session === undefined ? {} : { session };
  return { mode: 'v4', accessKeyId: credential.accessKeyId, policy, ...sessionPart };
}

/** §3.9 step 10 for unsigned forms: only a public-read-write bucket takes anonymous writes (§3.4). */
function authorizeAnonymous(input: PostAuthorizationInput): PostAuthorization {
  if (input.bucket.acl !== 'public-read-write') {
    throw new OssError('AccessDenied', {
      message: 'You have no right to access this object because of bucket acl.',
    });
  }
  return { mode: 'anonymous' };
}

export function authorizePostForm(input: PostAuthorizationInput): PostAuthorization {
  const mode = detectPostAuthMode(input.fields);
  switch (mode) {
    case 'anonymous':
      return authorizeAnonymous(input);
    case 'v1':
      return authorizeV1(input);
    case 'v4':
      return authorizeV4(input);
  }
}
