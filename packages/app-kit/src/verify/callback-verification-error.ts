// Why a callback was refused. One stable `reason` per failure class so handlers, logs and tests agree;
// the HTTP status is only what the callback handler answers OSS with — OSS treats any non-200 as a failed
// callback and answers the uploader 203 CallbackFailed with the object kept (oss-protocol §9.6).
export type CallbackVerificationReason =
  /** No Authorization or no x-oss-pub-key-url header (§9.2). */
  | 'missing-signature'
  /** The key URL is not exactly one the application trusts, or is not canonical Base64 (§9.4, threats §B3). */
  | 'untrusted-key-url'
  /** A trusted key URL whose key could not be fetched (timeout, redirect, too large, not an RSA PEM). */
  | 'key-unavailable'
  /** Authorization is not Base64 or the RSA-MD5 signature does not match the string to sign (§9.3). */
  | 'bad-signature'
  /** Not POST, wrong Content-Type, body too large, unparseable, duplicate or missing members. */
  | 'bad-request'
  /** Authentic, but the upload id was never issued (or belongs to another store). */
  | 'unknown-upload'
  /** The one-time upload id was already confirmed for a different object or ETag. */
  | 'replayed'
  /** The callback names an object or bucket other than the ticket's. */
  | 'key-mismatch'
  /** The ticket had expired and the application opted into rejecting late callbacks. */
  | 'expired-ticket';

const statusByReason: Record<CallbackVerificationReason, number> = {
  'missing-signature': 403,
  'untrusted-key-url': 403,
  'key-unavailable': 503,
  'bad-signature': 403,
  'bad-request': 400,
  'unknown-upload': 400,
  replayed: 409,
  'key-mismatch': 400,
  'expired-ticket': 400,
};

export class CallbackVerificationError extends Error {
  readonly reason: CallbackVerificationReason;
  /** What the callback handler answers (never 200). */
  readonly status: number;
  /** Diagnostic details for logs and the CLI: decoded key URL, string to sign. Never sent to OSS. */
  readonly details: Readonly<{ keyUrl?: string; stringToSign?: string }>;

  constructor(
    reason: CallbackVerificationReason,
    message: string,
    options: { details?: CallbackVerificationError['details']; status?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CallbackVerificationError';
    this.reason = reason;
    this.status = options.status ?? statusByReason[reason];
    this.details = options.details ?? {};
  }
}

export function isCallbackVerificationError(value: unknown): value is CallbackVerificationError {
  return value instanceof CallbackVerificationError;
}
