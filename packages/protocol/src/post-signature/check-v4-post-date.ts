// `x-oss-date` rules for V4 POST (oss-protocol §5.2, recommended INFERRED reading of D2's conflicting
// text): format `YYYYMMDDTHHMMSSZ`; same day as the credential scope date; equal to the policy's
// `x-oss-date` when the policy pins one; at most 15 minutes in the future; at most 7 days old.
// The policy `expiration` remains the effective deadline. Pure and browser-safe.
import { errorConditions } from '../errors/error-conditions.js';
import { OssError } from '../errors/oss-error.js';
import { failVerdict, passVerdict, type Verdict } from '../errors/verdict.js';
import { parseCompactUtcDateTime } from '../policy/utc-calendar.js';

export interface V4PostDateInput {
  readonly xOssDate: string;
  /** `YYYYMMDD` from the parsed `x-oss-credential`. */
  readonly credentialDate: string;
  /** The value the policy pins for `x-oss-date`, if any. */
  readonly policyXOssDate?: string | undefined;
  readonly nowMs: number;
}

export const maxV4FutureSkewMs = 15 * 60 * 1000;
export const maxV4PostDateAgeMs = 7 * 24 * 60 * 60 * 1000;

function deny(code: 'AccessDenied' | 'InvalidArgument', message: string, extra: [string, string][]) {
  return failVerdict(new OssError(code, { message, extra }));
}

export function checkV4PostDate(input: V4PostDateInput): Verdict {
  const dateMs = parseCompactUtcDateTime(input.xOssDate);
  if (dateMs === undefined) {
    return deny('InvalidArgument', 'x-oss-date must be formatted as YYYYMMDDTHHMMSSZ.', [
      ['ArgumentName', 'x-oss-date'],
      ['ArgumentValue', input.xOssDate.slice(0, 64)],
    ]);
  }
  if (input.xOssDate.slice(0, 8) !== input.credentialDate) {
    return deny('AccessDenied', 'x-oss-date is not on the date of the x-oss-credential scope.', []);
  }
  if (input.policyXOssDate !== undefined && input.policyXOssDate !== input.xOssDate) {
    const rendering = `["eq", "$x-oss-date", ${JSON.stringify(input.policyXOssDate.slice(0, 64))}]`;
    return failVerdict(
      new OssError('AccessDenied', {
        message: `Invalid according to Policy: Policy Condition failed: ${rendering}`,
        ec: errorConditions.policyConditionFailed,
      }),
    );
  }
  return checkV4PostDateWindow(dateMs, input.nowMs);
}

function checkV4PostDateWindow(dateMs: number, nowMs: number): Verdict {
  if (dateMs - nowMs > maxV4FutureSkewMs) {
    return failVerdict(
      new OssError('RequestTimeTooSkewed', {
        extra: [
          ['MaxAllowedSkewMilliseconds', String(maxV4FutureSkewMs)],
          ['RequestTime', new Date(dateMs).toISOString()],
          ['ServerTime', new Date(nowMs).toISOString()],
        ],
      }),
    );
  }
  if (nowMs - dateMs > maxV4PostDateAgeMs) {
    return deny('AccessDenied', 'Request has expired.', [
      ['Expires', new Date(dateMs + maxV4PostDateAgeMs).toISOString()],
      ['ServerTime', new Date(nowMs).toISOString()],
    ]);
  }
  return passVerdict;
}
