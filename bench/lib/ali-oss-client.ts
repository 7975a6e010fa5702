// The official ali-oss Node client (CommonJS, untyped) behind the two calls scenario 6 times: one
// PutObject of a file (`put` with a path: ali-oss streams it with its size as Content-Length) and the
// managed `multipartUpload` (Initiate, parallel UploadPart of file ranges, Complete).
import { createRequire } from 'node:module';

export interface AliOssResult {
  readonly res: { readonly status: number; readonly headers: Record<string, string> };
}

export interface AliOssBenchClient {
  put(name: string, file: string, options?: object): Promise<AliOssResult>;
  multipartUpload(
    name: string,
    file: string,
    options: { parallel: number; partSize: number; progress?: (fraction: number) => void },
  ): Promise<AliOssResult & { etag?: string }>;
  head(name: string): Promise<AliOssResult>;
  delete(name: string): Promise<AliOssResult>;
}

type AliOssConstructor = new (options: object) => AliOssBenchClient;

/** A client for `bucket` on a loopback server; an IP endpoint, as the multipart tests address it. */
export function createAliOssBenchClient(options: {
  url: string;
  bucket: string;
  accessKeyId: string;
  accessKeySecret: string;
}): AliOssBenchClient {
  const OSS = createRequire(import.meta.url)('ali-oss') as AliOssConstructor;
  return new OSS({
    region: 'oss-cn-hangzhou',
    endpoint: options.url,
    bucket: options.bucket,
    accessKeyId: options.accessKeyId,
    accessKeySecret: options.accessKeySecret,
    // A 1 GiB single PUT takes seconds to minutes on a loaded VM; ali-oss' default is 60 s.
    timeout: 600_000,
  });
}
