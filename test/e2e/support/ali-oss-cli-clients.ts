// The official ali-oss client pointed at a CLI-started server, for the two addressing modes a local
// server supports without a configured custom domain (oss-protocol §2): an IP endpoint (the SDK then sends
// `Host: <bucket>.oss-<region>.aliyuncs.com`) and path style (`sldEnable` with a host name endpoint).
import type { Agent } from 'node:http';
import {
  buildAddressingOptions,
  createAliOssClient,
  createLoopbackAgent,
} from '../../../packages/server/src/http/testing/create-ali-oss-client.js';
import type { AliOssMultipartClient } from '../../../packages/server/src/operations/multipart/testing/multipart-test-kit.js';

export type CliAddressingMode = 'ip-endpoint' | 'path-style';
export type CliSignatureVersion = 'v1' | 'v4';

export const cliAddressingModes: readonly CliAddressingMode[] = ['ip-endpoint', 'path-style'];
export const cliSignatureVersions: readonly CliSignatureVersion[] = ['v1', 'v4'];

export interface CliClientTarget {
  readonly port: number;
  readonly bucket: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
}

export interface CliClients {
  /** A client for one mode and version; `overrides` swap the bucket or the secret (error paths). */
  client(
    mode: CliAddressingMode,
    version: CliSignatureVersion,
    overrides?: { bucket?: string; accessKeySecret?: string },
  ): AliOssMultipartClient;
  /** The Host header an IP-endpoint client sends, for presigned URLs replayed by hand. */
  virtualHost(bucket: string): string;
  close(): void;
}

export function createCliClients(target: CliClientTarget): CliClients {
  const agent: Agent = createLoopbackAgent();
  return {
    client: (mode, version, overrides = {}) =>
      createAliOssClient({
        ...buildAddressingOptions(mode, target.port, agent),
        bucket: overrides.bucket ?? target.bucket,
        accessKeyId: target.accessKeyId,
        accessKeySecret: overrides.accessKeySecret ?? target.accessKeySecret,
        authorizationV4: version === 'v4',
      }) as AliOssMultipartClient,
    virtualHost: (bucket) => `${bucket}.oss-cn-hangzhou.aliyuncs.com`,
    close: () => agent.destroy(),
  };
}

/** The ali-oss error a promise rejects with (client.js requestError); fails when it resolves. */
export async function captureSdkError(
  promise: Promise<unknown>,
): Promise<{ name: string; code: string; status: number }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; code: string; status: number };
  }
  throw new Error('expected the ali-oss call to fail');
}
