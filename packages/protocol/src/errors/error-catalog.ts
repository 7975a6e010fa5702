// The OSS error codes Upcall emits: HTTP status, default message and default EC (oss-protocol §10.2).
// Messages are OSS's verbatim where the reference quotes them; others are marked (P) = project wording.
export interface CatalogEntry {
  readonly status: number;
  readonly message: string;
  readonly ec?: string;
}

export const errorCatalog = {
  AccessDenied: { status: 403, message: 'AccessDenied' },
  AccessForbidden: {
    status: 403,
    message:
      "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Requet-Headers are not whitelisted by the resource's CORS spec.",
  },
  BucketAlreadyExists: { status: 409, message: 'The requested bucket name is not available.' },
  BucketNotEmpty: { status: 409, message: 'The bucket you tried to delete is not empty.' },
  CallbackFailed: { status: 203, message: 'Error status : 502.', ec: '0007-00000203' },
  EntityTooLarge: {
    status: 400,
    message: 'Your proposed upload exceeds the maximum allowed size.',
    ec: '0006-00000003',
  }, // (P) message
  EntityTooSmall: {
    status: 400,
    message: 'Your proposed upload is smaller than the minimum allowed size.',
    ec: '0006-00000004',
  }, // (P)
  FieldItemTooLong: { status: 400, message: 'Your form field item is too long.' }, // (P)
  FileAlreadyExists: {
    status: 409,
    message: 'The object you specified already exists and can not be overwritten.',
  },
  IncorrectNumberOfFilesInPOSTRequest: {
    status: 400,
    message: 'POST requires exactly one file upload per request.',
  }, // (P)
  InternalError: { status: 500, message: 'We encountered an internal error. Please try again.' },
  InvalidAccessKeyId: {
    status: 403,
    message: 'The OSS Access Key Id you provided does not exist in our records.',
  },
  InvalidArgument: { status: 400, message: 'Invalid Argument.' },
  // STS credentials whose token is not the one issued with the temporary AccessKeyId: Alibaba Cloud OSS
  // EC pages 0002-00000004 / 0002-00000006 and help doc-detail/42775 ("InvalidSecurityToken: The security
  // token you provided is invalid"). Status 403 INFERRED (the other STS auth failures are 403).
  InvalidSecurityToken: {
    status: 403,
    message: 'The security token you provided is invalid.',
    ec: '0002-00000006',
  },
  InvalidBucketName: { status: 400, message: 'The specified bucket is not valid.' },
  InvalidDigest: { status: 400, message: 'The Content-MD5 you specified is not valid.' },
  InvalidEncryptionAlgorithmError: {
    status: 400,
    message: 'The encryption algorithm specified is not valid.',
  },
  InvalidObjectName: { status: 400, message: 'The specified object is not valid.' },
  InvalidPart: {
    status: 400,
    message:
      "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.",
  },
  InvalidPartOrder: {
    status: 400,
    message:
      'The list of parts was not in ascending order. Parts list must be specified in order by part number.',
  },
  InvalidPolicyDocument: { status: 400, message: 'Invalid Policy: Invalid JSON.' },
  InvalidRange: { status: 416, message: 'The requested range cannot be satisfied.' },
  KeyTooLong: { status: 400, message: 'Your key is too long.' },
  MalformedPOSTRequest: {
    status: 400,
    message: 'The body of your POST request is not well-formed multipart/form-data.',
  },
  MalformedXML: {
    status: 400,
    message: 'The XML you provided was not well-formed or did not validate against our published schema.',
  },
  MaxPOSTPreDataLengthExceeded: {
    status: 400,
    message: 'Your POST request fields preceeding the upload file was too large.',
  }, // (P)
  MethodNotAllowed: { status: 405, message: 'The specified method is not allowed against this resource.' },
  MissingContentLength: { status: 411, message: 'You must provide the Content-Length HTTP header.' },
  NoSuchBucket: { status: 404, message: 'The specified bucket does not exist.', ec: '0015-00000101' },
  NoSuchCORSConfiguration: { status: 404, message: 'The CORS configuration does not exist.' },
  NoSuchKey: { status: 404, message: 'The specified key does not exist.', ec: '0026-00000001' },
  NoSuchUpload: {
    status: 404,
    message:
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
  },
  NotImplemented: {
    status: 501,
    message: 'A header you provided implies functionality that is not implemented.',
  },
  PreconditionFailed: {
    status: 412,
    message: 'At least one of the pre-conditions you specified did not hold.',
  },
  RequestIsNotMultiPartContent: {
    status: 400,
    message: 'Bucket POST must be of the enclosure-type multipart/form-data.',
  },
  // OSS/S3 wording; sent when a request body arrives below the minimum rate (threats §C4 item 36).
  RequestTimeout: {
    status: 400,
    message:
      'Your socket connection to the server was not read from or written to within the timeout period.',
  },
  RequestTimeTooSkewed: {
    status: 403,
    message: 'The difference between the request time and the current time is too large.',
    ec: '0002-00000504',
  },
  SecurityTokenExpired: { status: 403, message: 'The security token you provided has expired.' },
  ServiceUnavailable: { status: 503, message: 'Please reduce your request rate.' },
  SignatureDoesNotMatch: {
    status: 403,
    message:
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    ec: '0002-00000040',
  },
} as const satisfies Record<string, CatalogEntry>;

export type OssErrorCode = keyof typeof errorCatalog;
