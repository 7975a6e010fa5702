// The ETag of an object made by CompleteMultipartUpload (oss-protocol §11, INFERRED there; the S3 form
// OSS follows): `"<HEX(MD5(md5(part 1) ‖ … ‖ md5(part n)))>-<n>"`, upper-case hex, where each md5 is the
// 16-byte binary digest that the part's own ETag spells in hex. Not an MD5 of the content.
import { createHash } from 'node:crypto';

const partEtagPattern = /^(?:"([0-9A-Fa-f]{32})"|([0-9A-Fa-f]{32}))$/;

/**
 * Builds the multipart ETag from the parts' ETags in part order (quoted or not, any case). Throws
 * RangeError for an empty list or an ETag that is not 32 hex digits (the operation has already matched
 * every listed ETag to a stored part, so this is a programming error).
 */
export function buildMultipartEtag(partEtags: readonly string[]): string {
  if (partEtags.length === 0) throw new RangeError('a multipart ETag needs at least one part');
  const md5 = createHash('md5');
  for (const etag of partEtags) {
    const match = partEtagPattern.exec(etag);
    const hex = match?.[1] ?? match?.[2];
    if (hex === undefined) throw new RangeError(`not a part ETag: ${JSON.stringify(etag)}`);
    md5.update(Buffer.from(hex, 'hex'));
  }
  return `"${md5.digest('hex').toUpperCase()}-${partEtags.length}"`;
}
