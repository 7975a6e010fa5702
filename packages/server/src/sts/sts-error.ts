// STS errors (Alibaba Cloud RPC style, JSON `{RequestId, HostId, Code, Message}`), kept apart from OssError:
// STS is a different service with its own codes and body shape. Codes and messages are the ones the
// Alibaba Cloud STS documentation lists (help "Common errors when you access OSS by using STS",
// doc-detail/42775; RPC common errors); statuses marked INFERRED were not stated there.

export interface StsErrorEntry {
  readonly status: number;
  readonly message: string;
}

export const stsErrorCatalog = {
  InvalidParameter: { status: 400, message: 'The specified parameter is not valid.' }, // INFERRED text
  'InvalidParameter.PolicyGrammar': {
    status: 400,
    message: 'The parameter Policy has not passed grammar check.',
  },
  'InvalidParameter.RoleSessionName': {
    status: 400,
    message: 'The parameter RoleSessionName is wrongly formed.',
  },
  'InvalidParameter.DurationSeconds': {
    status: 400,
    message: 'The Min/Max value of DurationSeconds is 15min/1hr.',
  },
  'InvalidParameter.RoleArn': { status: 400, message: 'The parameter RoleArn is wrongly formed.' }, // INFERRED
  MissingParameter: { status: 400, message: 'A required parameter is missing.' }, // INFERRED text
  'InvalidAction.NotFound': {
    status: 404,
    message: 'Specified api is not found, please check your url and method.',
  },
  'InvalidAccessKeyId.NotFound': { status: 404, message: 'Specified access key is not found.' },
  MissingSecurityToken: { status: 400, message: 'SecurityToken is mandatory for this action.' },
  'InvalidSecurityToken.Expired': { status: 400, message: 'Specified SecurityToken is expired.' }, // INFERRED
  'InvalidSecurityToken.Malformed': { status: 400, message: 'Specified SecurityToken is malformed.' }, // INFERRED
  'InvalidSecurityToken.MismatchWithAccessKey': {
    status: 400,
    message: 'Specified SecurityToken mismatch with the AccessKey.',
  }, // INFERRED
  IncompleteSignature: {
    status: 400,
    message: 'The request signature does not conform to Aliyun standards.',
  },
  SignatureDoesNotMatch: {
    status: 400,
    message: 'Specified signature is not matched with our calculation.',
  },
  'InvalidTimeStamp.Format': {
    status: 400,
    message: 'Specified time stamp or date value is not well formatted.',
  },
  'InvalidTimeStamp.Expired': { status: 400, message: 'Specified time stamp or date value is expired.' },
  UnsupportedSignatureMethod: { status: 400, message: 'The signature method is not supported.' }, // INFERRED
  InvalidVersion: { status: 400, message: 'Specified parameter Version is not valid.' },
  UnsupportedHTTPMethod: { status: 400, message: 'This http method is not supported.' },
} as const satisfies Record<string, StsErrorEntry>;

export type StsErrorCode = keyof typeof stsErrorCatalog;

export class StsError extends Error {
  readonly status: number;

  constructor(
    readonly code: StsErrorCode,
    message?: string,
  ) {
    super(message ?? stsErrorCatalog[code].message);
    this.name = 'StsError';
    this.status = stsErrorCatalog[code].status;
  }
}

export function isStsError(error: unknown): error is StsError {
  return error instanceof StsError;
}
