// Test helper: the official ali-oss Node client (CommonJS, untyped) behind the few methods tests use.
import { createRequire } from 'node:module';

export interface AliOssResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
}

export interface AliOssClient {
  head(name: string, options?: object): Promise<{ status: number; res: AliOssResponse }>;
  get(name: string, file?: null, options?: object): Promise<{ content: Buffer; res: AliOssResponse }>;
  delete(name: string): Promise<{ res: AliOssResponse }>;
  list(
    query: Record<string, string | number> | null,
    options?: object,
  ): Promise<{
    objects: Array<{ name: string; size: number }> | undefined;
    prefixes: string[] | null;
    isTruncated: boolean;
  }>;
  signatureUrl(name: string, options?: { expires?: number; method?: string }): string;
  signatureUrlV4(
    method: string,
    expiresSeconds: number,
    request?: object,
    objectName?: string,
  ): Promise<string>;
}

export interface AliOssOptions {
  readonly endpoint: string;
  readonly bucket: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly region?: string;
  readonly authorizationV4?: boolean;
}

type AliOssConstructor = new (options: object) => AliOssClient;

const require = createRequire(import.meta.url);

export function createAliOssClient(options: AliOssOptions): AliOssClient {
  const OSS = require('ali-oss') as AliOssConstructor;
  return new OSS({ region: 'oss-cn-hangzhou', timeout: 10_000, ...options });
}
