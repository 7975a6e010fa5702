// Test helper: the official ali-oss Node client (CommonJS, untyped) behind the methods tests use, and the
// three ways it can address a local server (oss-protocol §2): an IP endpoint (it then sends
// `Host: <bucket>.oss-<region>.aliyuncs.com`), path style (`sldEnable` with a host name endpoint) and a
// custom domain (`cname: true`; the name is resolved to 127.0.0.1 by the agent, never by DNS).
import { Agent } from 'node:http';
import type { LookupFunction } from 'node:net';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';

export interface AliOssResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
}

export interface AliOssCallback {
  readonly url: string;
  readonly body: string;
  readonly host?: string;
  readonly contentType?: string;
  readonly customValue?: Record<string, string>;
}

export interface AliOssObject {
  readonly name: string;
  readonly size: number;
  readonly etag: string;
  readonly owner: { id: string; displayName: string } | null;
}

export interface AliOssListResult {
  readonly objects: AliOssObject[] | undefined;
  readonly prefixes: string[] | null;
  readonly isTruncated: boolean;
  readonly nextMarker?: string | null;
  readonly keyCount?: number;
  readonly nextContinuationToken?: string | null;
}

export interface AliOssPutOptions {
  readonly headers?: Record<string, string>;
  readonly meta?: Record<string, string>;
  readonly mime?: string;
  readonly callback?: AliOssCallback;
  readonly contentLength?: number;
  /** V4: extra header names to sign (AdditionalHeaders, oss-protocol §7.1). */
  readonly additionalHeaders?: string[];
}

export interface AliOssCorsRule {
  readonly allowedOrigin: string | string[];
  readonly allowedMethod: string | string[];
  readonly allowedHeader?: string | string[];
  readonly exposeHeader?: string | string[];
  readonly maxAgeSeconds?: number;
}

export interface AliOssClient {
  put(
    name: string,
    file: Buffer | Readable,
    options?: AliOssPutOptions,
  ): Promise<{ name: string; res: AliOssResponse; data?: unknown }>;
  putStream(
    name: string,
    stream: Readable,
    options?: AliOssPutOptions,
  ): Promise<{ name: string; res: AliOssResponse; data?: unknown }>;
  head(name: string, options?: object): Promise<{ status: number; res: AliOssResponse; meta: unknown }>;
  getObjectMeta(name: string, options?: object): Promise<{ status: number; res: AliOssResponse }>;
  get(name: string, file?: null, options?: object): Promise<{ content: Buffer; res: AliOssResponse }>;
  delete(name: string): Promise<{ res: AliOssResponse }>;
  deleteMulti(
    names: string[],
    options?: { quiet?: boolean },
  ): Promise<{ deleted: unknown[]; res: AliOssResponse }>;
  copy(
    name: string,
    sourceName: string,
    bucketName?: string | object,
    options?: object,
  ): Promise<{ data: { etag: string; lastModified: string } | null; res: AliOssResponse }>;
  list(query: Record<string, string | number> | null, options?: object): Promise<AliOssListResult>;
  listV2(query: Record<string, string | number>, options?: object): Promise<AliOssListResult>;
  signatureUrl(name: string, options?: Record<string, unknown>): string;
  signatureUrlV4(
    method: string,
    expiresSeconds: number,
    request?: object,
    objectName?: string,
  ): Promise<string>;
  putBucket(name: string, options?: object): Promise<{ bucket: string | null; res: AliOssResponse }>;
  deleteBucket(name: string): Promise<{ res: AliOssResponse }>;
  listBuckets(query?: Record<string, string | number> | null): Promise<{
    buckets: Array<{ name: string; region: string; creationDate: string }> | null;
    res: AliOssResponse;
  }>;
  getBucketInfo(name: string): Promise<{ bucket: Record<string, unknown>; res: AliOssResponse }>;
  getBucketACL(name: string): Promise<{ acl: string; res: AliOssResponse }>;
  putBucketACL(name: string, acl: string): Promise<{ res: AliOssResponse }>;
  putBucketCORS(name: string, rules: AliOssCorsRule[]): Promise<{ res: AliOssResponse }>;
  getBucketCORS(name: string): Promise<{ rules: Array<Record<string, unknown>>; res: AliOssResponse }>;
  deleteBucketCORS(name: string): Promise<{ res: AliOssResponse }>;
}

export interface AliOssOptions {
  readonly endpoint: string;
  readonly bucket: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly region?: string;
  readonly authorizationV4?: boolean;
  readonly cname?: boolean;
  readonly sldEnable?: boolean;
  readonly stsToken?: string;
  readonly agent?: Agent;
}

/** The SDK error shape (client.js requestError). */
export interface AliOssError {
  readonly name: string;
  readonly code: string;
  readonly status: number;
}

type AliOssConstructor = new (options: object) => AliOssClient;

const require = createRequire(import.meta.url);

export function createAliOssClient(options: AliOssOptions): AliOssClient {
  const OSS = require('ali-oss') as AliOssConstructor;
  return new OSS({ region: 'oss-cn-hangzhou', timeout: 10_000, ...options });
}

/** An http.Agent that dials 127.0.0.1 whatever host name it is asked for (custom-domain tests). */
export function createLoopbackAgent(): Agent {
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all === true) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
  };
  return new Agent({ keepAlive: true, lookup });
}

export type AddressingMode = 'ip-endpoint' | 'path-style' | 'custom-domain';

/** The custom domain the test servers bind to their bucket (never resolved by DNS). */
export const testCustomDomain = 'files.upcall.test';

/** ali-oss options for one addressing mode against a server on 127.0.0.1:`port`. */
export function buildAddressingOptions(
  mode: AddressingMode,
  port: number,
  agent: Agent,
): Pick<AliOssOptions, 'endpoint' | 'cname' | 'sldEnable' | 'agent'> {
  switch (mode) {
    case 'ip-endpoint':
      return { endpoint: `http://127.0.0.1:${port}` };
    case 'path-style':
      // An IP endpoint would make ali-oss send a virtual-hosted Host as well; a host name keeps it pure.
      return { endpoint: `http://localhost:${port}`, sldEnable: true, agent };
    case 'custom-domain':
      return { endpoint: `http://${testCustomDomain}:${port}`, cname: true, agent };
  }
}
