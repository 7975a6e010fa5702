// The typed result of a verified callback: the system variables OSS substitutes into callbackBody
// (oss-protocol §8.4) plus the ticket's one-time upload id and every `x:` variable (§8.2).
import type { CallbackBodyType } from '@upcall/protocol';

export interface CallbackImageInfo {
  readonly height?: number;
  readonly width?: number;
  /** As OSS reports it (`jpg`, `png`, … — case UNKNOWN, §8.4). */
  readonly format?: string;
}

export interface VerifiedCallback {
  readonly bucket: string;
  readonly object: string;
  /** Without quotes (§8.4: OSS substitutes it unquoted; quotes are stripped defensively). */
  readonly etag: string;
  readonly size: number;
  /** Empty string when OSS reported none. */
  readonly mimeType: string;
  readonly imageInfo?: CallbackImageInfo;
  /** Decimal CRC-64/ECMA as text: it exceeds 2^53, so it is never turned into a number (§8.5). */
  readonly crc64?: string;
  readonly contentMd5?: string;
  readonly clientIp?: string;
  readonly reqId?: string;
  readonly operation?: string;
  readonly vpcId?: string;
  /** The ticket's one-time id (`uploadId` member, or the `x:upload_id` variable). */
  readonly uploadId: string;
  /** Every `x:` member of the body. Only those the ticket pinned in its policy are trustworthy (threats §B12). */
  readonly vars: Readonly<Record<string, string>>;
  /** Every member of the body as parsed (strings for form bodies; JSON values, numbers as text, for JSON). */
  readonly raw: Readonly<Record<string, unknown>>;
  readonly bodyType: CallbackBodyType;
  /** The trusted public-key URL the signature was verified with. */
  readonly keyUrl: string;
}
