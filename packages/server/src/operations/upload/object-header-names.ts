// Request header wire names of the object-writing operations (PutObject, CopyObject, and the multipart
// Initiate/Complete steps), spelled once (architecture §2). Lower case: Node lower-cases incoming names.
// Sources: oss-protocol §3.4 (object properties), §8.3 (callback headers), §11 (checksums); OSS PutObject
// and CopyObject API references for the copy headers.
export const objectHeaderNames = {
  contentType: 'content-type',
  contentMd5: 'content-md5',
  contentLength: 'content-length',
  contentLanguage: 'content-language',
  transferEncoding: 'transfer-encoding',
  objectAcl: 'x-oss-object-acl',
  storageClass: 'x-oss-storage-class',
  forbidOverwrite: 'x-oss-forbid-overwrite',
  serverSideEncryption: 'x-oss-server-side-encryption',
  userMetaPrefix: 'x-oss-meta-',
  callback: 'x-oss-callback',
  callbackVar: 'x-oss-callback-var',
  copySource: 'x-oss-copy-source',
  copySourcePrefix: 'x-oss-copy-source-',
  metadataDirective: 'x-oss-metadata-directive',
  taggingDirective: 'x-oss-tagging-directive',
} as const;

/** Entity headers an uploader may store and GET returns as stored (operations/set-object-headers.ts). */
export const storedEntityHeaders = [
  ['Cache-Control', 'cache-control'],
  ['Content-Disposition', 'content-disposition'],
  ['Content-Encoding', 'content-encoding'],
  ['Expires', 'expires'],
] as const;

/** `x-oss-copy-source-if-*`: CopyObject preconditions on the source object (OSS CopyObject). */
export const copySourceConditionHeaders = {
  ifMatch: 'x-oss-copy-source-if-match',
  ifNoneMatch: 'x-oss-copy-source-if-none-match',
  ifModifiedSince: 'x-oss-copy-source-if-modified-since',
  ifUnmodifiedSince: 'x-oss-copy-source-if-unmodified-since',
} as const;
