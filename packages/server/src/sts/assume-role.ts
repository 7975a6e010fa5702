// STS AssumeRole (Alibaba Cloud STS API 2015-04-01): authenticate the RPC request, check the parameters,
// and mint a session — a temporary `STS.…` AccessKeyId, its derived secret, and the sealed SecurityToken
// (sts-token.ts). Role chaining (a temporary key calling AssumeRole) keeps the caller's policies and
// cannot outlive the caller's session, so it can only narrow (docs/adr/0009-local-sts.md).
import { createHash, randomBytes } from 'node:crypto';
import { checkAssumeRoleParams } from './check-assume-role-params.js';
import type { AccessKeyLookup, StsRuntime } from './create-access-key-lookup.js';
import { StsError } from './sts-error.js';
import {
  deriveTemporarySecret,
  encodeStsToken,
  generateTemporaryAccessKeyId,
  type StsSession,
} from './sts-token.js';
import { verifyRpcRequest, type RpcRequest } from './verify-rpc-request.js';

export interface AssumeRoleDeps {
  readonly sts: StsRuntime;
  readonly lookup: AccessKeyLookup;
  readonly nowMs: number;
  /** Randomness for the temporary key id and the token IV (injected by tests). */
  readonly random?: (bytes: number) => Buffer;
}

export interface AssumeRoleResult {
  readonly assumedRoleUser: { readonly arn: string; readonly assumedRoleId: string };
  readonly credentials: {
    readonly accessKeyId: string;
    readonly accessKeySecret: string;
    readonly securityToken: string;
    /** ISO-8601 UTC without milliseconds, as STS writes it: `2024-05-01T12:00:00Z`. */
    readonly expiration: string;
  };
}

/** A stable 17-digit role id per role ARN (STS shows the role's numeric id in AssumedRoleId). */
function buildRoleId(roleArn: string): string {
  const digest = createHash('sha256').update(roleArn.toLowerCase(), 'utf8').digest();
  return (digest.readBigUInt64BE(0) % 10n ** 17n).toString().padStart(17, '3');
}

export function formatStsTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function assumeRole(request: RpcRequest, deps: AssumeRoleDeps): AssumeRoleResult {
  if (request.params.get('Action') !== 'AssumeRole') throw new StsError('InvalidAction.NotFound');
  const caller = verifyRpcRequest(request, deps.lookup, deps.nowMs);
  const params = checkAssumeRoleParams(request.params, deps.sts.maxDurationSeconds);
  const parent = caller.key.session;
  let expiresMs = Math.floor(deps.nowMs / 1000) * 1000 + params.durationSeconds * 1000;
  if (parent !== undefined) expiresMs = Math.min(expiresMs, parent.expiresMs);
  const random = deps.random ?? randomBytes;
  const accessKeyId = generateTemporaryAccessKeyId(random);
  const session: StsSession = {
    accessKeyId,
    parentAccessKeyId: parent?.parentAccessKeyId ?? caller.accessKeyId,
    roleArn: params.roleArn,
    roleSessionName: params.roleSessionName,
    issuedMs: deps.nowMs,
    expiresMs,
    policies: [...(parent?.policies ?? []), ...(params.policy === undefined ? [] : [params.policy])],
  };
  return {
    assumedRoleUser: {
      arn: `acs:ram::${params.accountId}:role/${params.roleName.toLowerCase()}/${params.roleSessionName}`,
      assumedRoleId: `${buildRoleId(params.roleArn)}:${params.roleSessionName}`,
    },
    credentials: {
      accessKeyId,
      accessKeySecret: deriveTemporarySecret(deps.sts.keys, accessKeyId),
      securityToken: encodeStsToken(session, deps.sts.keys, random),
      expiration: formatStsTime(expiresMs),
    },
  };
}
