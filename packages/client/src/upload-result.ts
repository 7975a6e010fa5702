// The outcome of one upload, as a discriminated union on `status`. The split that matters most is
// `confirmed` vs `stored-unconfirmed`: an OSS 203 means the object IS stored but the app server's
// callback failed (oss-protocol §9.6) — the official demo shows that as a plain failure (anchors §1a).

interface UploadOutcome {
  /** Requests sent (1 + retries); 0 when nothing was sent. */
  readonly attempts: number;
  /** The object key asked for, when the client knows it (exact-key ticket or prefix + file name). */
  readonly key?: string;
  /** The ticket's one-time upload id (app-kit), for reconciling with the app's upload records. */
  readonly uploadId?: string;
}

/** Stored, and — when the ticket carried a callback — the app server accepted it. */
export interface UploadConfirmed extends UploadOutcome {
  readonly status: 'confirmed';
  readonly httpStatus: number;
  /** The app server's reply relayed by storage (JSON parsed; other text as a string), or undefined. */
  readonly body: unknown;
  readonly etag?: string;
  readonly requestId?: string;
}

/** HTTP 203 `CallbackFailed`: the object is stored, the app server did not confirm it (§9.6). */
export interface UploadStoredUnconfirmed extends UploadOutcome {
  readonly status: 'stored-unconfirmed';
  readonly httpStatus: 203;
  readonly code: 'CallbackFailed';
  readonly message: string;
  readonly requestId?: string;
  readonly ec?: string;
  readonly etag?: string;
}

/** Storage answered with an error (§10): nothing was stored by this request. */
export interface UploadRejected extends UploadOutcome {
  readonly status: 'rejected';
  readonly httpStatus: number;
  /** OSS `<Code>`, or 'UnknownError' when the body is not an OSS error document. */
  readonly code: string;
  readonly message: string;
  readonly requestId?: string;
  readonly ec?: string;
  /** Every child of `<Error>` (ArgumentName, HostId, …); empty for non-XML bodies. */
  readonly details: Readonly<Record<string, string>>;
}

export interface UploadAborted extends UploadOutcome {
  readonly status: 'aborted';
}

/**
 * No answer from storage. `network`: every attempt failed without a response (or with 5xx, then the
 * last one failed without a response); `ticket`: the ticket source failed or returned an invalid
 * ticket; `unexpected`: a transport or ticket source broke its contract (the error says how).
 */
export interface UploadFailed extends UploadOutcome {
  readonly status: 'failed';
  readonly reason: 'network' | 'ticket' | 'unexpected';
  readonly error: Error;
}

export type UploadResult =
  UploadConfirmed | UploadStoredUnconfirmed | UploadRejected | UploadAborted | UploadFailed;

/** The object is in storage (whether or not the app confirmed it). */
export function isStored(result: UploadResult): result is UploadConfirmed | UploadStoredUnconfirmed {
  return result.status === 'confirmed' || result.status === 'stored-unconfirmed';
}
