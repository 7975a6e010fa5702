// Refusals of the presigned-multipart functions, with the HTTP status and `{ error }` reason the
// handlers answer. Someone else's upload answers exactly like a missing one (ids are not an oracle).
export type MultipartRefusal =
  | 'bad-request'
  | 'not-found'
  | 'not-pending'
  | 'too-large'
  | 'too-small'
  | 'unsupported-type'
  | 'storage-refused'
  | 'storage-unreachable';

const statusOf: Readonly<Record<MultipartRefusal, number>> = {
  'bad-request': 400,
  'not-found': 404,
  'not-pending': 409,
  'too-large': 413,
  'too-small': 400,
  'unsupported-type': 415,
  'storage-refused': 502,
  'storage-unreachable': 503,
};

export class MultipartRequestError extends Error {
  readonly status: number;

  constructor(
    readonly reason: MultipartRefusal,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MultipartRequestError';
    this.status = statusOf[reason];
  }
}

export function isMultipartRequestError(error: unknown): error is MultipartRequestError {
  return error instanceof MultipartRequestError;
}
