// The OssErrors of request authentication with their §10.1 extra elements, in document order.
import { OssError } from '../errors/index.js';
import { formatErrorTime } from './request-time.js';

/** OSS and S3 both allow 15 minutes between request time and server time (D11). */
export const maxRequestSkewMs = 15 * 60 * 1000;

/** EC when neither Date nor x-oss-date is usable (D9 0002-00000503). */
export const missingDateEc = '0002-00000503';

const maxEchoedArgumentChars = 256;

/**
 * InvalidArgument with §10.1's ArgumentName / ArgumentValue. The echoed value is cut at 256 characters so
 * a hostile client cannot make the error body arbitrarily large (XML escaping is the renderer's job).
 */
export function buildInvalidArgumentError(
  name: string,
  value: string,
  message: string,
  ec?: string,
): OssError {
  const echoed = value.length > maxEchoedArgumentChars ? `${value.slice(0, maxEchoedArgumentChars)}…` : value;
  return new OssError('InvalidArgument', {
    message,
    ...(ec === undefined ? {} : { ec }),
    extra: [
      ['ArgumentName', name],
      ['ArgumentValue', echoed],
    ],
  });
}

/** §10.1: extras OSSAccessKeyId, SignatureProvided, StringToSign, StringToSignBytes (upper-case hex). */
export function buildSignatureMismatchError(
  accessKeyId: string,
  signatureProvided: string,
  stringToSign: string,
): OssError {
  const bytes = [...Buffer.from(stringToSign, 'utf8')]
    .map((byte) => byte.toString(16).toUpperCase().padStart(2, '0'))
    .join(' ');
  return new OssError('SignatureDoesNotMatch', {
    extra: [
      ['OSSAccessKeyId', accessKeyId],
      ['SignatureProvided', signatureProvided],
      ['StringToSign', stringToSign],
      ['StringToSignBytes', bytes],
    ],
  });
}

/** §10.1: extras MaxAllowedSkewMilliseconds, RequestTime, ServerTime; EC 0002-00000504 (catalog). */
export function buildRequestTimeTooSkewedError(requestTimeMs: number, nowMs: number): OssError {
  return new OssError('RequestTimeTooSkewed', {
    extra: [
      ['MaxAllowedSkewMilliseconds', String(maxRequestSkewMs)],
      ['RequestTime', formatErrorTime(requestTimeMs)],
      ['ServerTime', formatErrorTime(nowMs)],
    ],
  });
}

/** §10.1 expired presigned URL: AccessDenied "Request has expired." with Expires and ServerTime. */
export function buildRequestExpiredError(expiresMs: number, nowMs: number): OssError {
  return new OssError('AccessDenied', {
    message: 'Request has expired.',
    extra: [
      ['Expires', formatErrorTime(expiresMs)],
      ['ServerTime', formatErrorTime(nowMs)],
    ],
  });
}

/** INFERRED wording (S3's is "…requires a valid Date or x-amz-date header"); code and EC per D9. */
export function buildMissingDateError(): OssError {
  return new OssError('AccessDenied', {
    message: 'OSS authentication requires a valid Date.',
    ec: missingDateEc,
  });
}

export function buildUnknownAccessKeyError(accessKeyId: string): OssError {
  return new OssError('InvalidAccessKeyId', { extra: [['OSSAccessKeyId', accessKeyId]] });
}

/** The request is off by more than the allowed skew in either direction. */
export function checkRequestTimeSkew(requestTimeMs: number, nowMs: number): OssError | undefined {
  if (Math.abs(nowMs - requestTimeMs) <= maxRequestSkewMs) return undefined;
  return buildRequestTimeTooSkewedError(requestTimeMs, nowMs);
}
