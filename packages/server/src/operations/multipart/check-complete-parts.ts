// CompleteMultipartUpload's part list against the stored parts (OSS CompleteMultipartUpload): part numbers
// strictly ascending (InvalidPartOrder), each part stored with the listed ETag, quotes and case ignored
// (InvalidPart) — the store's own rule, reused so both layers agree — and every part but the last at least
// 100 KB (EntityTooSmall; OSS's limit, not S3's 5 MiB). Checked before the store assembles anything.
import { OssError, type Verdict } from '@upcall/protocol';
import { checkChosenParts } from '../../store/chosen-parts.js';
import type { ChosenPart, PartInfo } from '../../store/multipart-store.js';

/** OSS: "each part except the last part is larger than or equal to 100 KB" (read as KiB, like OSS SDKs). */
export const minPartBytes = 100 * 1024;

export type CompletePartsVerdict =
  { readonly ok: true; readonly parts: PartInfo[] } | Exclude<Verdict, { ok: true }>;

function checkPartSizes(parts: readonly PartInfo[]): OssError | undefined {
  const small = parts.slice(0, -1).find((part) => part.size < minPartBytes);
  if (small === undefined) return undefined;
  return new OssError('EntityTooSmall', {
    message: 'Your proposed upload is smaller than the minimum allowed size.',
    extra: [
      ['ProposedSize', String(small.size)],
      ['MinSizeAllowed', String(minPartBytes)],
      ['PartNumber', String(small.partNumber)],
      ['ETag', small.etag],
    ],
  });
}

/** The stored parts in the listed order, or the first rule the list breaks. */
export function checkCompleteParts(
  chosen: readonly ChosenPart[],
  stored: ReadonlyMap<number, PartInfo>,
): CompletePartsVerdict {
  let parts: PartInfo[];
  try {
    parts = checkChosenParts(chosen, (partNumber) => stored.get(partNumber));
  } catch (error) {
    if (error instanceof OssError) return { ok: false, error };
    throw error;
  }
  const tooSmall = checkPartSizes(parts);
  return tooSmall === undefined ? { ok: true, parts } : { ok: false, error: tooSmall };
}
