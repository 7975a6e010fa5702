// `${imageInfo.height}`, `${imageInfo.width}`, `${imageInfo.format}` (oss-protocol §8.4) from the first
// bytes of the object only (the upload keeps them while streaming; nothing is read back). Formats are the
// raster ones OSS's image service handles; anything else — including an image whose header does not fit
// in the probe — is "not an image" and the three variables render empty. `format` is image-size's
// lower-case name (`png`, `jpg`, …): OSS's case is UNKNOWN (D4 writes "JPG, PNG", D7 "jpg or png").
import { imageSize } from 'image-size';
import type { CallbackImageInfo } from '@upcall/protocol';

const ossImageFormats = new Set(['jpg', 'png', 'gif', 'bmp', 'webp', 'tiff', 'heif']);

const startsWith = (head: Uint8Array, offset: number, ascii: string): boolean =>
  ascii.split('').every((char, i) => head[offset + i] === char.charCodeAt(0));

/**
 * A necessary condition of image-size 2's own test for each of the seven formats above (bmp "BM", gif
 * "GIF8", heif "ftyp" at 4, jpg FF D8, png "PNG" at 1, webp "RIFF", tiff "II"/"MM"). Anything else can
 * only end as "no image info", so image-size is not asked: its refusal is an exception with a stack
 * trace, ~50 µs per non-image upload with a callback (docs/benchmarks.md, scenario 3).
 */
function mayBeOssImage(head: Uint8Array): boolean {
  const first = head[0];
  if (first === 0xff) return head[1] === 0xd8;
  return (
    startsWith(head, 0, 'BM') ||
    startsWith(head, 0, 'GIF8') ||
    startsWith(head, 4, 'ftyp') ||
    startsWith(head, 1, 'PNG') ||
    startsWith(head, 0, 'RIFF') ||
    startsWith(head, 0, 'II') ||
    startsWith(head, 0, 'MM')
  );
}

export function readImageInfo(head: Uint8Array): CallbackImageInfo | undefined {
  if (head.length === 0 || !mayBeOssImage(head)) return undefined;
  try {
    const { width, height, type } = imageSize(head);
    if (type === undefined || !ossImageFormats.has(type)) return undefined;
    return { width, height, format: type };
  } catch {
    return undefined; // not an image, or truncated within the probe: both mean "no image info"
  }
}
