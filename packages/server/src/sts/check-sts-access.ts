// Authorization of an STS session's request (after its signature verified): the RAM request the operation
// amounts to (build-ram-request.ts) must be allowed by the role's policy AND every inline policy the
// session carries (check-ram-policy.ts). Refusal is OSS's 403 AccessDenied "Access denied by authorizer's
// policy." (Alibaba Cloud help doc-detail/42775).
import { OssError } from '@upcall/protocol';
import { parseCopySource } from '../operations/upload/parse-copy-source.js';
import { buildRamRequest, buildOssResource, type RamTarget } from './build-ram-request.js';
import { checkRamPolicies, type RamRequest } from './check-ram-policy.js';
import { parseRamPolicy, type RamPolicy } from './parse-ram-policy.js';
import type { StsSession } from './sts-token.js';

/**
 * The local STS has one implicit role: every OSS action on this server's buckets (docs/adr/0009). Its
 * policy still takes part in the intersection, so a session can never reach beyond OSS.
 */
export const localRolePolicyText =
  '{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:*","Resource":"*"}]}';
const localRolePolicy = parseRamPolicy(localRolePolicyText);

export const authorizerDeniedMessage = "Access denied by authorizer's policy.";

/** Parsed policies by text; sessions repeat the same few documents on every request. */
const parsedPolicies = new Map<string, RamPolicy>();
const maxCachedPolicies = 512;

function readPolicy(text: string): RamPolicy {
  const cached = parsedPolicies.get(text);
  if (cached !== undefined) return cached;
  const policy = parseRamPolicy(text);
  if (parsedPolicies.size >= maxCachedPolicies) parsedPolicies.clear();
  parsedPolicies.set(text, policy);
  return policy;
}

function denied(): OssError {
  return new OssError('AccessDenied', { message: authorizerDeniedMessage });
}

export function checkSessionAllows(session: StsSession, request: RamRequest): boolean {
  const policies = [localRolePolicy, ...session.policies.map(readPolicy)];
  return checkRamPolicies(policies, request) === 'allow';
}

/** Throws AccessDenied unless the session may perform `target` (and, for CopyObject, read its source). */
export function checkStsAccess(session: StsSession, target: RamTarget, copySource?: string): void {
  const request = buildRamRequest(target);
  if (request === undefined || !checkSessionAllows(session, request)) throw denied();
  if (target.operation !== 'CopyObject') return;
  if (copySource === undefined) throw denied();
  const source = parseCopySource(copySource);
  const read = { action: 'oss:GetObject', resource: buildOssResource(source.bucket, source.key) };
  if (!checkSessionAllows(session, read)) throw denied();
}
