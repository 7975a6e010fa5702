// A mistake on the command line (bad flag, missing file): reported with a usage hint, exit status 2.
export class UploadUsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UploadUsageError';
  }
}
