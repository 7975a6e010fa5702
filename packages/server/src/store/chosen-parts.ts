// The store's own check of CompleteMultipartUpload's part list, made at the moment it assembles: the
// operation validated the list against listParts earlier, but a part may have been re-uploaded since,
// and assembling bytes whose ETag the client did not list would store something it never asked for.
import { OssError } from '@upcall/protocol';
import { maxPartNumber, minPartNumber, type ChosenPart } from './multipart-store.js';

/**
 * Throws InvalidPartOrder unless part numbers strictly ascend, InvalidPart when a chosen part is missing
 * or its ETag differs. ETags compare without quotes and case-insensitively (clients echo them either way).
 * Returns the stored parts in the chosen order.
 */
export function checkChosenParts<P extends { etag: string }>(
  chosen: readonly ChosenPart[],
  findPart: (partNumber: number) => P | undefined,
): P[] {
  const found: P[] = [];
  let previous = 0;
  for (const { partNumber, etag } of chosen) {
    if (partNumber <= previous) throw new OssError('InvalidPartOrder');
    previous = partNumber;
    const part = findPart(partNumber);
    if (part === undefined || normalizeEtag(part.etag) !== normalizeEtag(etag)) {
      throw new OssError('InvalidPart', { extra: [['PartNumber', String(partNumber)]] });
    }
    found.push(part);
  }
  return found;
}

function normalizeEtag(etag: string): string {
  return etag.replace(/^"|"$/g, '').toUpperCase();
}

/** partNumber 1…10000 (the operation answers InvalidArgument first; here it is a programming error). */
export function assertPartNumber(partNumber: number): void {
  if (!Number.isSafeInteger(partNumber) || partNumber < minPartNumber || partNumber > maxPartNumber) {
    throw new RangeError(`partNumber must be an integer in 1…10000, got ${partNumber}`);
  }
}
