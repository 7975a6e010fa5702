// Types of the upload ticket: what the application passes in, and the JSON the browser gets back.
import type { TicketCallbackOptions } from './build-ticket-callback.js';

export interface UploadCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** STS token: sent as x-oss-security-token and pinned in the policy (§4.7). */
  readonly securityToken?: string;
}

export interface UploadTicketOptions {
  readonly credentials: UploadCredentials;
  /** Default 'v4' (OSS's recommended POST signature, §5.2); 'v4' needs `region`. */
  readonly signatureVersion?: 'v1' | 'v4';
  /** Plain region id (`cn-hangzhou`, not `oss-cn-hangzhou`, §5.2). */
  readonly region?: string;
  readonly bucket: string;
  /** Where the browser POSTs the form: `https://<bucket>.oss-<region>.aliyuncs.com` or Upcall's server URL. */
  readonly host: string;
  /** The authenticated user; the default key prefix is derived from it. */
  readonly userId: string;

  /** Exact object key chosen by the application (overrides prefix + random name). */
  readonly key?: string;
  /** Default `uploads/<percent-encoded userId>/`. */
  readonly keyPrefix?: string;
  /** 'exact' (default): the ticket signs `<prefix><random>.<ext>`. 'prefix': the browser names the object under `keyPrefix`. */
  readonly keyMode?: 'exact' | 'prefix';
  /** The intended filename from the request; only its extension (1–16 letters/digits) is kept. */
  readonly filename?: string;

  /** Default 300 (5 min); more than 600 throws unless `allowLongExpiry`. */
  readonly expiresInSeconds?: number;
  readonly allowLongExpiry?: boolean;
  /** Upper bound of `content-length-range`; required unless `allowUnboundedSize`. */
  readonly maxSizeBytes?: number;
  /** Without `maxSizeBytes`: sign OSS's 5 GiB single-request maximum instead of throwing. */
  readonly allowUnboundedSize?: boolean;
  /** Lower bound; default 1 (0 when `allowEmpty`). */
  readonly minSizeBytes?: number;
  readonly allowEmpty?: boolean;
  /** Signed as `["in","$content-type",[…]]`. */
  readonly allowedContentTypes?: readonly string[];
  /** The exact Content-Type, when known: sent as a form field (and must be allowed). */
  readonly contentType?: string;
  /** Default true: `x-oss-forbid-overwrite: true`, field and pinned. */
  readonly forbidOverwrite?: boolean;

  readonly callback: TicketCallbackOptions;
  /** App-defined JSON-serialisable data stored on the upload record. */
  readonly appData?: unknown;

  readonly now?: () => Date;
  /** Randomness source (`crypto.randomBytes` by default); injected by tests. */
  readonly randomBytes?: (size: number) => Uint8Array;
}

/** What the browser needs: append `fields` in order (plus `key` in prefix mode), then `file`, POST to `host`. */
export interface UploadTicket {
  readonly host: string;
  readonly fields: Readonly<Record<string, string>>;
  /** Policy expiration, Unix seconds. */
  readonly expire: number;
  readonly key?: string;
  readonly keyPrefix?: string;
  readonly uploadId: string;
  readonly maxSizeBytes: number;
  readonly minSizeBytes: number;
  readonly allowedContentTypes?: readonly string[];
  readonly signatureVersion: 'v1' | 'v4';
}
