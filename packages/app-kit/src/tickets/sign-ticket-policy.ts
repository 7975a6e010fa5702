// Authentication fields of a ticket: V1 (OSSAccessKeyId + Signature, §5.1) or V4 (x-oss-signature-version,
// x-oss-credential, x-oss-date, x-oss-signature, §5.2), plus the STS token. The V4 fields and the token are
// also pinned in the policy, as every official SDK sample does (§4.7, §5.2).
import { buildV4Credential, OssError, signPostPolicyV1, signPostPolicyV4 } from '@upcall/protocol';
import type { UploadTicketOptions } from './upload-ticket.js';

const v4Algorithm = 'OSS4-HMAC-SHA256';

/** `x-oss-date`: `YYYYMMDDTHHMMSSZ` in UTC (§5.2). */
export function formatXOssDate(epochMs: number): string {
  return new Date(epochMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export interface TicketAuthFields {
  readonly signatureVersion: 'v1' | 'v4';
  /** Fields pinned with an exact condition (and sent before `policy`). */
  readonly pinned: Array<[string, string]>;
}

function securityTokenField(options: UploadTicketOptions): Array<[string, string]> {
  const token = options.credentials.securityToken;
  return token === undefined ? [] : [['x-oss-security-token', token]];
}

function requireRegion(options: UploadTicketOptions): string {
  const region = options.region;
  if (region === undefined || region === '') {
    throw new OssError('InvalidArgument', {
      message: 'V4 tickets need the plain region id (e.g. cn-hangzhou).',
      extra: [['ArgumentName', 'region']],
    });
  }
  return region.replace(/^oss-/, ''); // §5.2: ali-oss strips a leading `oss-` the same way
}

/** The fields that go into the policy; computed before the policy is built. */
export function buildTicketAuthFields(options: UploadTicketOptions, nowMs: number): TicketAuthFields {
  if (options.signatureVersion === 'v1')
    return { signatureVersion: 'v1', pinned: securityTokenField(options) };
  const xOssDate = formatXOssDate(nowMs);
  const credential = buildV4Credential({
    accessKeyId: options.credentials.accessKeyId,
    date: xOssDate.slice(0, 8),
    region: requireRegion(options),
  });
  return {
    signatureVersion: 'v4',
    pinned: [
      ['x-oss-signature-version', v4Algorithm],
      ['x-oss-credential', credential],
      ['x-oss-date', xOssDate],
      ...securityTokenField(options),
    ],
  };
}

/** The fields that follow the policy: the policy itself and its signature (plus OSSAccessKeyId for V1). */
export function signTicketPolicy(
  options: UploadTicketOptions,
  policyBase64: string,
  nowMs: number,
): Array<[string, string]> {
  const { accessKeyId, accessKeySecret } = options.credentials;
  if (options.signatureVersion === 'v1') {
    return [
      ['OSSAccessKeyId', accessKeyId],
      ['policy', policyBase64],
      ['Signature', signPostPolicyV1(policyBase64, accessKeySecret)],
    ];
  }
  const date = formatXOssDate(nowMs).slice(0, 8);
  const signature = signPostPolicyV4(policyBase64, { accessKeySecret, date, region: requireRegion(options) });
  return [
    ['policy', policyBase64],
    ['x-oss-signature', signature],
  ];
}
