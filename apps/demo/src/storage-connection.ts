// How the demo app reaches its storage: Upcall's server here, Alibaba Cloud OSS with other values
// (docs/real-oss.md). Only this object differs between the two.
export interface StorageConnection {
  /** Scheme, host and port the browser POSTs to and presigned URLs point at, e.g. `http://127.0.0.1:9000`. */
  readonly endpoint: string;
  readonly bucket: string;
  /** Plain region id for V4 signatures (`cn-hangzhou`); Upcall's server accepts any. */
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly accessKeySecret: string };
  /** The exact `x-oss-pub-key-url` the server sends (printed at its start). */
  readonly callbackKeyUrl: string;
  /** The PEM served at callbackKeyUrl, pinned (nothing fetched); when absent the URL is allow-listed and fetched. */
  readonly callbackKeyPem?: string;
}

/** `<endpoint>/<bucket>`: the path-style form URL (docs/real-oss.md, "Upcall's server, locally"). */
export function buildUploadHost(connection: StorageConnection): string {
  return `${connection.endpoint.replace(/\/+$/, '')}/${connection.bucket}`;
}
