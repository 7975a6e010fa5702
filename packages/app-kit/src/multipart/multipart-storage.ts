// Where and as whom app-kit talks to storage for presigned multipart uploads. The same values describe
// Alibaba Cloud OSS (`https://<bucket>.oss-<region>.aliyuncs.com`, virtual-hosted) and Upcall's server
// (`http://127.0.0.1:9000` with `pathStyle`, because an IP endpoint has no bucket sub-domain, §2): only
// configuration differs between the two (docs/large-uploads.md).
import type { UploadCredentials } from '../tickets/upload-ticket.js';

export interface MultipartStorage {
  /**
   * Scheme and host the browser PUTs parts to and app-kit sends its own requests to. Virtual-hosted
   * (real OSS): `https://<bucket>.oss-cn-hangzhou.aliyuncs.com`. Path style (Upcall): `http://127.0.0.1:9000`.
   */
  readonly endpoint: string;
  /** Put the bucket in the path (`/<bucket>/<key>`) instead of the host name. Default false. */
  readonly pathStyle?: boolean;
  readonly bucket: string;
  /** Plain region id (`cn-hangzhou`) for V4 signatures (§7.2); a leading `oss-` is stripped. */
  readonly region: string;
  /** The application's own key pair (never sent to the browser); STS credentials work too. */
  readonly credentials: UploadCredentials;
}

/** RFC 3986 encoding as OSS expects in paths and query values (`encodeURIComponent` leaves `!'()*`). */
export function encodeUriStrict(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `<endpoint>[/<bucket>]/<key>?<query>`; an empty query value is written as a bare name (`?uploads`). */
export function buildStorageUrl(
  storage: MultipartStorage,
  key: string,
  query: ReadonlyArray<readonly [string, string]>,
): string {
  const origin = storage.endpoint.replace(/\/+$/, '');
  const bucket = storage.pathStyle === true ? `/${storage.bucket}` : '';
  const path = key.split('/').map(encodeUriStrict).join('/');
  const search = query
    .map(([name, value]) =>
      value === '' ? encodeUriStrict(name) : `${encodeUriStrict(name)}=${encodeUriStrict(value)}`,
    )
    .join('&');
  return `${origin}${bucket}/${path}${search === '' ? '' : `?${search}`}`;
}
