// The slice of ali-oss the /sdk page uses, typed, and the client built from the app's STS credentials.
// ali-oss itself is the UMD build loaded by a classic <script> before this module (window.OSS).
export interface SdkCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken: string;
  readonly expiration: string;
  readonly bucket: string;
  /** The folder the credentials are limited to, e.g. `uploads/<user>/`. */
  readonly keyPrefix: string;
  readonly endpoint: string;
  /** `oss-<region id>`, as ali-oss expects. */
  readonly region: string;
  /** Bucket in the path (Upcall on an IP endpoint) instead of the host name. */
  readonly pathStyle: boolean;
}

/** ali-oss's `options.callback` (lib/common/callback.js), as POST /api/sdk-uploads returns it. */
export interface SdkCallback {
  readonly url: string;
  readonly body: string;
  readonly contentType: string;
  readonly customValue: Record<string, string>;
}

export interface SdkCheckpoint {
  file?: File | undefined;
  readonly name: string;
  readonly fileSize: number;
  readonly partSize: number;
  readonly uploadId: string;
  readonly doneParts: ReadonlyArray<{ readonly number: number; readonly etag: string }>;
}

export interface MultipartUploadOptions {
  readonly checkpoint?: SdkCheckpoint;
  readonly partSize: number;
  readonly parallel: number;
  readonly callback?: SdkCallback;
  readonly progress: (fraction: number, checkpoint: SdkCheckpoint | null | undefined) => void;
}

export interface SdkClient {
  multipartUpload(name: string, file: File, options: MultipartUploadOptions): Promise<{ data?: unknown }>;
  put(name: string, body: Blob): Promise<unknown>;
  /** Stops starting parts; the pending multipartUpload rejects with `{ name: 'cancel' }`. */
  cancel(): void;
}

type OssConstructor = new (options: Record<string, unknown>) => SdkClient;

/** What ali-oss rejects with (lib/browser/client.js requestError), or the cancel event. */
export interface SdkError {
  readonly name?: string;
  readonly code?: string;
  readonly status?: number;
  readonly message?: string;
}

export async function fetchSdkCredentials(): Promise<SdkCredentials> {
  const response = await fetch('/api/sts-credentials', { credentials: 'same-origin' });
  const body = (await response.json()) as SdkCredentials & { error?: string; message?: string };
  if (!response.ok)
    throw new Error(`No STS credentials: ${body.error ?? response.status} ${body.message ?? ''}`);
  return body;
}

export function createSdkClient(credentials: SdkCredentials): SdkClient {
  const OSS = (window as unknown as { OSS?: OssConstructor }).OSS;
  if (OSS === undefined) throw new Error('ali-oss did not load (/oss-sdk.js)');
  return new OSS({
    region: credentials.region,
    endpoint: credentials.endpoint,
    // sldEnable: `<endpoint>/<bucket>/<key>`, the only addressing a browser has for an IP endpoint.
    ...(credentials.pathStyle ? { sldEnable: true } : {}),
    bucket: credentials.bucket,
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.accessKeySecret,
    stsToken: credentials.securityToken,
    // Called by ali-oss before a request once the interval has passed: long uploads outlive a token.
    refreshSTSToken: async () => {
      const fresh = await fetchSdkCredentials();
      return {
        accessKeyId: fresh.accessKeyId,
        accessKeySecret: fresh.accessKeySecret,
        stsToken: fresh.securityToken,
      };
    },
    refreshSTSTokenInterval: 5 * 60 * 1000,
  });
}
