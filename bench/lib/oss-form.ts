// A V4-signed PostObject form for the bench bucket (oss-protocol §3, §5.2), built with the protocol
// package the way an application server would: exact key, content-length-range, one-hour expiry.
import { buildPostPolicy, signPostPolicyV4, type PostPolicyConditionInput } from '@upcall/protocol';

export interface OssFormInput {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly bucket: string;
  readonly key: string;
  readonly maxBytes: number;
  readonly extraConditions?: readonly PostPolicyConditionInput[];
  readonly region?: string;
  readonly nowMs?: number;
}

function compactUtc(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** Form fields in ali-oss order (key first, policy and signature after the credential fields). */
export function buildOssV4Fields(input: OssFormInput): Array<[string, string]> {
  const nowMs = input.nowMs ?? Date.now();
  const region = input.region ?? 'cn-hangzhou';
  const xOssDate = compactUtc(nowMs);
  const date = xOssDate.slice(0, 8);
  const credential = `${input.accessKeyId}/${date}/${region}/oss/aliyun_v4_request`;
  const conditions: PostPolicyConditionInput[] = [
    { bucket: input.bucket },
    { key: input.key },
    ['content-length-range', 1, input.maxBytes],
    ...(input.extraConditions ?? []),
    { 'x-oss-signature-version': 'OSS4-HMAC-SHA256' },
    { 'x-oss-credential': credential },
    { 'x-oss-date': xOssDate },
  ];
  const { base64 } = buildPostPolicy({ expiration: new Date(nowMs + 3_600_000), conditions });
  return [
    ['key', input.key],
    ['x-oss-signature-version', 'OSS4-HMAC-SHA256'],
    ['x-oss-credential', credential],
    ['x-oss-date', xOssDate],
    ['policy', base64],
    ['x-oss-signature', signPostPolicyV4(base64, { accessKeySecret: input.accessKeySecret, date, region })],
  ];
}
