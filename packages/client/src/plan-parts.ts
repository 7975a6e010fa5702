// Splits a file into multipart parts. OSS: part numbers 1…10 000, every part but the last at least
// 100 KB, at most 5 GB each (API reference, UploadPart / CompleteMultipartUpload EntityTooSmall). When
// the requested size would need more than 10 000 parts, the part size grows (whole MiB) to fit.

export interface PlannedPart {
  readonly partNumber: number;
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

export const minPartSizeBytes = 100 * 1024;
export const maxPartSizeBytes = 5 * 1024 * 1024 * 1024;
export const maxPartCount = 10_000;
export const defaultPartSizeBytes = 8 * 1024 * 1024;

const mebibyte = 1024 * 1024;

/** The part size actually used for `fileSize` when `requested` is asked for. */
export function resolvePartSize(fileSize: number, requested: number = defaultPartSizeBytes): number {
  if (!Number.isSafeInteger(requested) || requested < minPartSizeBytes || requested > maxPartSizeBytes) {
    throw new RangeError(
      `partSize must be a whole number of bytes, ${minPartSizeBytes}…${maxPartSizeBytes}.`,
    );
  }
  if (Math.ceil(fileSize / requested) <= maxPartCount) return requested;
  return Math.ceil(fileSize / maxPartCount / mebibyte) * mebibyte;
}

/** Parts covering [0, fileSize); an empty file is one empty part (Complete needs at least one). */
export function planParts(fileSize: number, partSize: number): PlannedPart[] {
  const count = Math.max(1, Math.ceil(fileSize / partSize));
  if (count > maxPartCount) throw new RangeError(`${count} parts exceed OSS's ${maxPartCount}.`);
  return Array.from({ length: count }, (_, index) => ({
    partNumber: index + 1,
    start: index * partSize,
    end: Math.min(fileSize, (index + 1) * partSize),
  }));
}
