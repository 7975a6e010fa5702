// A tiny AWS Signature V4 signer for the Ceph RGW baseline (no AWS SDK in the tree): POST Object
// policies (browser-based uploads, "Authenticating Requests in Browser-Based Uploads Using POST") and
// header-signed requests with UNSIGNED-PAYLOAD (create bucket, PUT/GET object). S3 only; not product code.
import { createHash, createHmac } from 'node:crypto';

export interface S3Credentials {
  readonly accessKey: string;
  readonly secretKey: string;
  readonly region: string;
}

const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data).digest();

function amzDate(nowMs: number): string {
  return new Date(nowMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function signingKey(creds: S3Credentials, date: string): Buffer {
  const dateKey = hmac(`AWS4${creds.secretKey}`, date);
  return hmac(hmac(hmac(dateKey, creds.region), 's3'), 'aws4_request');
}

/** POST Object form fields (key first, file to be appended last by the caller). */
export function signS3PostFields(
  creds: S3Credentials,
  input: { bucket: string; key: string; maxBytes: number; nowMs?: number },
): Array<[string, string]> {
  const nowMs = input.nowMs ?? Date.now();
  const xAmzDate = amzDate(nowMs);
  const date = xAmzDate.slice(0, 8);
  const credential = `${creds.accessKey}/${date}/${creds.region}/s3/aws4_request`;
  const policy = {
    expiration: new Date(nowMs + 3_600_000).toISOString(),
    conditions: [
      { bucket: input.bucket },
      { key: input.key },
      ['content-length-range', 1, input.maxBytes],
      { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' },
      { 'x-amz-credential': credential },
      { 'x-amz-date': xAmzDate },
    ],
  };
  const policyBase64 = Buffer.from(JSON.stringify(policy)).toString('base64');
  const signature = createHmac('sha256', signingKey(creds, date)).update(policyBase64).digest('hex');
  return [
    ['key', input.key],
    ['x-amz-algorithm', 'AWS4-HMAC-SHA256'],
    ['x-amz-credential', credential],
    ['x-amz-date', xAmzDate],
    ['policy', policyBase64],
    ['x-amz-signature', signature],
  ];
}

/** Headers (as `Name: value` strings for curl) signing `method url` with an unsigned payload. */
export function signS3Headers(
  creds: S3Credentials,
  method: string,
  url: string,
  nowMs = Date.now(),
): string[] {
  const target = new URL(url);
  const xAmzDate = amzDate(nowMs);
  const date = xAmzDate.slice(0, 8);
  const payload = 'UNSIGNED-PAYLOAD';
  const canonicalHeaders = `host:${target.host}\nx-amz-content-sha256:${payload}\nx-amz-date:${xAmzDate}\n`;
  const signedHeaders = 'host;x-amz-content-sha256;x-amz-date';
  const canonicalRequest = [method, target.pathname, '', canonicalHeaders, signedHeaders, payload].join('\n');
  const scope = `${date}/${creds.region}/s3/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    xAmzDate,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  const signature = createHmac('sha256', signingKey(creds, date)).update(stringToSign).digest('hex');
  return [
    `x-amz-date: ${xAmzDate}`,
    `x-amz-content-sha256: ${payload}`,
    `Authorization: AWS4-HMAC-SHA256 Credential=${creds.accessKey}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  ];
}
