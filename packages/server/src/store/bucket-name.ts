// The OSS bucket-name grammar (threats §B6; OSS PutBucket naming rules): 3–63 characters of lower-case
// letters, digits and hyphens, neither first nor last a hyphen. The stores never use a bucket name as a
// path, but the grammar still keeps `..`, separators and `_` (reserved server paths, architecture §3) out.
import { OssError } from '@upcall/protocol';

const bucketNamePattern = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

export function isValidBucketName(name: string): boolean {
  return bucketNamePattern.test(name);
}

/** Throws OssError InvalidBucketName (400) unless `name` follows the grammar. */
export function assertValidBucketName(name: string): void {
  if (!isValidBucketName(name)) {
    throw new OssError('InvalidBucketName', { extra: [['BucketName', name]] });
  }
}
