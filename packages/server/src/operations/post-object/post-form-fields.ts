// Every PostObject form-field wire name, spelled once (oss-protocol §3.4). Field names are matched
// case-insensitively (§3.3), so they are kept here — and in the parsed form — in lower case.
export const postFormFields = {
  key: 'key',
  file: 'file',
  policy: 'policy',
  // V1 (§5.1)
  accessKeyId: 'ossaccesskeyid',
  signature: 'signature',
  // V4 (§5.2)
  signatureVersion: 'x-oss-signature-version',
  credential: 'x-oss-credential',
  date: 'x-oss-date',
  v4Signature: 'x-oss-signature',
  securityToken: 'x-oss-security-token',
  // Response shaping (§3.8)
  successActionStatus: 'success_action_status',
  successActionRedirect: 'success_action_redirect',
  // Object properties (§3.4, §3.6)
  contentType: 'content-type',
  ossContentType: 'x-oss-content-type',
  cacheControl: 'cache-control',
  contentDisposition: 'content-disposition',
  contentEncoding: 'content-encoding',
  expires: 'expires',
  objectAcl: 'x-oss-object-acl',
  storageClass: 'x-oss-storage-class',
  forbidOverwrite: 'x-oss-forbid-overwrite',
  serverSideEncryption: 'x-oss-server-side-encryption',
  userMetaPrefix: 'x-oss-meta-',
  // Upload callback (§8.3)
  callback: 'callback',
} as const;

/** The only V4 signature version OSS defines (§5.2). */
export const postV4SignatureVersion = 'OSS4-HMAC-SHA256';

/** Stored object headers a form may set, by canonical header spelling (§3.4). */
export const postObjectHeaderFields = [
  ['Cache-Control', postFormFields.cacheControl],
  ['Content-Disposition', postFormFields.contentDisposition],
  ['Content-Encoding', postFormFields.contentEncoding],
  ['Expires', postFormFields.expires],
] as const;
