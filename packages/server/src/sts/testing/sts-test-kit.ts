// Test helpers for the STS suites: a test server with the local STS on, ali-oss's own `OSS.STS` client
// pointed at it (its `endpoint` option is the full URL it POSTs to, lib/sts.js), and policy builders.
import { createRequire } from 'node:module';
import type { ServerConfig } from '../../config/server-config.js';
import {
  startTestServer,
  testAccessKeyId,
  testAccessKeySecret,
  type TestServer,
  type TestServerOptions,
} from '../../http/testing/start-test-server.js';

/** A fixed STS key: 32 bytes, deterministic across runs. */
export const testStsKey = Buffer.alloc(32, 7);
export const otherStsKey = Buffer.alloc(32, 9);
export const testRoleArn = 'acs:ram::1234567890123456:role/upload-role';

export interface StsCredentials {
  readonly AccessKeyId: string;
  readonly AccessKeySecret: string;
  readonly SecurityToken: string;
  readonly Expiration: string;
}

export interface AliOssStsClient {
  assumeRole(
    roleArn: string,
    policy?: object | string | null,
    expirationSeconds?: number,
    sessionName?: string,
  ): Promise<{ credentials: StsCredentials; res: { status: number } }>;
}

type AliOssStsConstructor = new (options: object) => AliOssStsClient;

const require = createRequire(import.meta.url);

export function buildStsEndpoint(server: TestServer): string {
  return `${server.url}/_upcall/sts`;
}

export function createAliOssSts(
  server: TestServer,
  credentials: { accessKeyId: string; accessKeySecret: string } = {
    accessKeyId: testAccessKeyId,
    accessKeySecret: testAccessKeySecret,
  },
): AliOssStsClient {
  const OSS = require('ali-oss') as { STS: AliOssStsConstructor };
  return new OSS.STS({ ...credentials, endpoint: buildStsEndpoint(server) });
}

export function startStsTestServer(
  options: TestServerOptions & { sts?: ServerConfig['sts'] } = {},
): Promise<TestServer> {
  return startTestServer({
    ...options,
    config: { ...options.config, sts: options.sts ?? { key: testStsKey } },
  });
}

/** The user-scoped policy the issue asks for: write/read/multipart under one prefix of one bucket. */
export function buildPrefixPolicy(bucket: string, prefix: string): object {
  return {
    Version: '1',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['oss:PutObject', 'oss:GetObject', 'oss:ListParts', 'oss:AbortMultipartUpload'],
        Resource: [`acs:oss:*:*:${bucket}/${prefix}*`],
      },
    ],
  };
}
