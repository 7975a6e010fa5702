// The AssumeRole request parameters (Alibaba Cloud STS API 2015-04-01 "AssumeRole"): RoleArn
// `acs:ram::<account>:role/<name>`, RoleSessionName 2–64 of `[A-Za-z0-9.@_-]`, DurationSeconds
// 900…the role's maximum (default 3600), optional inline Policy. Throws StsError.
import { parseRamPolicy } from './parse-ram-policy.js';
import { StsError } from './sts-error.js';

export const minDurationSeconds = 900;
export const defaultDurationSeconds = 3600;
/** RAM's ceiling for a role's MaxSessionDuration. */
export const maxRoleDurationSeconds = 43_200;

export interface AssumeRoleParams {
  readonly roleArn: string;
  readonly accountId: string;
  readonly roleName: string;
  readonly roleSessionName: string;
  readonly durationSeconds: number;
  /** The inline policy as sent (already validated), or undefined. */
  readonly policy: string | undefined;
}

const roleArnPattern = /^acs:ram::(\d{1,32}):role\/([A-Za-z0-9._-]{1,64})$/i;
const sessionNamePattern = /^[A-Za-z0-9.@_-]{2,64}$/;

function required(params: ReadonlyMap<string, string>, name: string): string {
  const value = params.get(name);
  if (value === undefined || value === '') {
    throw new StsError(
      'MissingParameter',
      `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
    );
  }
  return value;
}

function readDuration(text: string | undefined, maxSeconds: number): number {
  if (text === undefined || text === '') return Math.min(defaultDurationSeconds, maxSeconds);
  const seconds = /^\d{1,6}$/.test(text) ? Number(text) : Number.NaN;
  if (!(seconds >= minDurationSeconds && seconds <= maxSeconds)) {
    throw new StsError(
      'InvalidParameter.DurationSeconds',
      `The Min/Max value of DurationSeconds is ${minDurationSeconds}/${maxSeconds} seconds.`,
    );
  }
  return seconds;
}

export function checkAssumeRoleParams(
  params: ReadonlyMap<string, string>,
  maxDurationSeconds: number,
): AssumeRoleParams {
  const roleArn = required(params, 'RoleArn');
  const arn = roleArnPattern.exec(roleArn);
  if (arn === null) throw new StsError('InvalidParameter.RoleArn');
  const roleSessionName = required(params, 'RoleSessionName');
  if (!sessionNamePattern.test(roleSessionName)) throw new StsError('InvalidParameter.RoleSessionName');
  const durationSeconds = readDuration(params.get('DurationSeconds'), maxDurationSeconds);
  const policy = params.get('Policy');
  if (policy !== undefined && policy !== '') parseRamPolicy(policy);
  return {
    roleArn,
    accountId: arn[1] ?? '',
    roleName: arn[2] ?? '',
    roleSessionName,
    durationSeconds,
    policy: policy === '' ? undefined : policy,
  };
}
