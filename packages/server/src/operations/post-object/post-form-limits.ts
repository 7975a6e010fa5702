// Bounds on the multipart form that arrives before any signature can be checked (threats §B4, §C3.31,
// §C4.36). busboy's defaults are Infinity for fields/files/parts/fileSize, so every limit is explicit.
// Values OSS documents are cited; the rest are project choices (P), recorded in docs/protocol-decisions.md.
export interface PostFormLimits {
  /** Longest field name in UTF-8 bytes (P; OSS only says "keys of all form fields" ≤ 8 KB, §3.7). */
  readonly maxFieldNameBytes: number;
  /** Longest field value in bytes: OSS's 2 MB ⇒ FieldItemTooLong (§3.7, read as MiB). */
  readonly maxFieldValueBytes: number;
  /** Most non-file fields before the file (P) ⇒ MaxPOSTPreDataLengthExceeded. */
  readonly maxFields: number;
  /** Most parts in the whole form, the file and trailing parts included (P). */
  readonly maxParts: number;
  /** Most header lines in one part (P; a part needs two: Content-Disposition and Content-Type). */
  readonly maxPartHeaderPairs: number;
  /** Raw body bytes allowed before the file part starts (P: one full-size field plus 64 KiB). */
  readonly maxPreFileBytes: number;
  /** Time allowed from the request start until the file part starts (P; threats §C4.36). */
  readonly preFileDeadlineMs: number;
  /** Buffer size of the request → parser → file stream chain (P; perf-notes §6b used 1 MiB). */
  readonly streamHighWaterMarkBytes: number;
}

const mib = 1024 * 1024;

export const defaultPostFormLimits: PostFormLimits = {
  maxFieldNameBytes: 256,
  maxFieldValueBytes: 2 * mib,
  maxFields: 100,
  maxParts: 128,
  maxPartHeaderPairs: 8,
  maxPreFileBytes: 2 * mib + 64 * 1024,
  preFileDeadlineMs: 30_000,
  streamHighWaterMarkBytes: 256 * 1024,
};

/** Bytes of the file's beginning kept in memory for `${imageInfo.*}` (P; enough for PNG/GIF/WebP/most JPEG). */
export const imageProbeBytes = 128 * 1024;
