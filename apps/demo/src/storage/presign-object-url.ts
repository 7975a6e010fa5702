// Presigned GET URLs for thumbnails (oss-protocol §7.3): the bucket stays private and the app grants a
// short read of one object it has checked belongs to the user. V4, path style, like the upload host.
import { presignUrlV4 } from '@upcall/protocol';
import type { StorageConnection } from '../storage-connection.js';

/** Long enough to load an image, short enough that a leaked URL soon stops working. */
export const thumbnailUrlExpirySeconds = 300;

export interface PresignedObjectUrl {
  readonly url: string;
  readonly expiresAtMs: number;
}

export function presignObjectUrl(
  connection: StorageConnection,
  key: string,
  nowMs: number,
  expiresSeconds: number = thumbnailUrlExpirySeconds,
): PresignedObjectUrl {
  const { url } = presignUrlV4({
    method: 'GET',
    bucket: connection.bucket,
    key,
    region: connection.region,
    accessKeyId: connection.credentials.accessKeyId,
    secret: connection.credentials.accessKeySecret,
    origin: connection.endpoint,
    pathStyle: true,
    nowMs,
    expiresSeconds,
  });
  return { url, expiresAtMs: nowMs + expiresSeconds * 1000 };
}
