// `${imageInfo.height}`, `${imageInfo.width}`, `${imageInfo.format}` (oss-protocol §8.4) from the first
// bytes of the object only (the upload keeps them while streaming; nothing is read back). Formats are the
// raster ones OSS's image service handles; anything else — including an image whose header does not fit
// in the probe — is "not an image" and the three variables render empty. `format` is image-size's
// lower-case name (`png`, `jpg`, …): OSS's case is UNKNOWN (D4 writes "JPG, PNG", D7 "jpg or png").
import { imageSize } from 'image-size';
import type { CallbackImageInfo } from '@upcall/protocol';

const ossImageFormats = new Set(['jpg', 'png', 'gif', 'bmp', 'webp', 'tiff', 'heif']);

export function readImageInfo(head: Uint8Array): CallbackImageInfo | undefined {
  if (head.length === 0) return undefined;
  try {
    const { width, height, type } = imageSize(head);
    if (type === undefined || !ossImageFormats.has(type)) return undefined;
    return { width, height, format: type };
  } catch {
    return undefined; // not an image, or truncated within the probe: both mean "no image info"
  }
}
