// Test helper: signs PostObject forms with the protocol package (as an application server would) and
// sends them over real HTTP to 127.0.0.1.
import { request, type IncomingHttpHeaders } from 'node:http';
import {
  buildPostPolicy,
  signPostPolicyV1,
  signPostPolicyV4,
  type PostPolicyConditionInput,
} from '@upcall/protocol';

export interface PolicyFormInput {
  readonly version: 'v1' | 'v4';
  readonly accessKeyId: string;
  readonly secret: string;
  readonly nowMs: number;
  /** Defaults to now + 1 hour. */
  readonly expiration?: Date;
  readonly conditions: readonly PostPolicyConditionInput[];
  readonly region?: string;
}

function compactUtc(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** The auth fields of a signed form (policy included), in the order ali-oss sends them. */
export function signPolicyFields(input: PolicyFormInput): Array<[string, string]> {
  const expiration = input.expiration ?? new Date(input.nowMs + 3_600_000);
  if (input.version === 'v1') {
    const { base64 } = buildPostPolicy({ expiration, conditions: input.conditions });
    return [
      ['OSSAccessKeyId', input.accessKeyId],
      ['policy', base64],
      ['Signature', signPostPolicyV1(base64, input.secret)],
    ];
  }
  const xOssDate = compactUtc(input.nowMs);
  const region = input.region ?? 'cn-hangzhou';
  const date = xOssDate.slice(0, 8);
  const credential = `${input.accessKeyId}/${date}/${region}/oss/aliyun_v4_request`;
  const conditions: PostPolicyConditionInput[] = [
    ...input.conditions,
    { 'x-oss-signature-version': 'OSS4-HMAC-SHA256' },
    { 'x-oss-credential': credential },
    { 'x-oss-date': xOssDate },
  ];
  const { base64 } = buildPostPolicy({ expiration, conditions });
  return [
    ['x-oss-signature-version', 'OSS4-HMAC-SHA256'],
    ['x-oss-credential', credential],
    ['x-oss-date', xOssDate],
    ['policy', base64],
    ['x-oss-signature', signPostPolicyV4(base64, { accessKeySecret: input.secret, date, region })],
  ];
}

export interface FormResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly text: string;
}

export interface SendFormOptions {
  readonly port: number;
  readonly bucket: string;
  readonly body: Buffer;
  readonly contentType: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** POSTs a form path-style (`POST /<bucket>`) and reads the whole response. */
export function sendForm(options: SendFormOptions): Promise<FormResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: options.port,
        method: 'POST',
        path: `/${options.bucket}`,
        agent: false,
        headers: {
          'content-type': options.contentType,
          'content-length': String(options.body.length),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The `<Code>` of an OSS error document, or undefined. */
export function readErrorCode(text: string): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
}

/** The `<Message>` of an OSS error document, XML entities left as they are. */
export function readErrorMessage(text: string): string | undefined {
  return /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
}
