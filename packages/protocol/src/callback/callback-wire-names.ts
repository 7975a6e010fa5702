// Every wire spelling the callback code uses, in one place (architecture §2). Sources: oss-protocol §8.1
// (callback JSON fields), §8.3 (where the parameters travel), §8.4 (system variables), §9.2 (headers).

/** Fields of the decoded `callback` JSON object (§8.1). */
export const callbackJsonFields = {
  url: 'callbackUrl',
  host: 'callbackHost',
  body: 'callbackBody',
  bodyType: 'callbackBodyType',
  sni: 'callbackSNI',
} as const;

/** `callbackBodyType` values; the first is OSS's default (§8.1). */
export const callbackBodyTypes = ['application/x-www-form-urlencoded', 'application/json'] as const;
export type CallbackBodyType = (typeof callbackBodyTypes)[number];

/** Where the parameters travel on upload requests (§8.3). */
export const callbackParamNames = {
  header: 'x-oss-callback',
  varHeader: 'x-oss-callback-var',
  query: 'callback',
  varQuery: 'callback-var',
  formField: 'callback',
  /** Prefix of custom variables: JSON keys in callback-var, one form field each in PostObject. */
  customVarPrefix: 'x:',
} as const;

/** System variables usable as `${name}` in callbackBody (§8.4). Names are case-sensitive (D7). */
export const callbackSystemVarNames = [
  'bucket',
  'object',
  'etag',
  'size',
  'mimeType',
  'imageInfo.height',
  'imageInfo.width',
  'imageInfo.format',
  'crc64',
  'contentMd5',
  'vpcId',
  'clientIp',
  'reqId',
  'operation',
] as const;
export type CallbackSystemVarName = (typeof callbackSystemVarNames)[number];

/** Headers of the callback request OSS sends to the application server (§9.2), in the order we send them. */
export const callbackRequestHeaderNames = {
  host: 'Host',
  contentType: 'Content-Type',
  contentLength: 'Content-Length',
  contentMd5: 'Content-MD5',
  date: 'Date',
  authorization: 'Authorization',
  pubKeyUrl: 'x-oss-pub-key-url',
  requestId: 'x-oss-request-id',
  bucket: 'x-oss-bucket',
  tag: 'x-oss-tag',
  signatureVersion: 'x-oss-signature-version',
  userAgent: 'User-Agent',
} as const;

/** Fixed header values observed on genuine OSS callbacks (§9.2). */
export const callbackRequestHeaderValues = {
  tag: 'CALLBACK',
  signatureVersion: '1.0',
  userAgent: 'aliyun-oss-callback',
} as const;
