// `x-oss-credential` = `<AccessKeyId>/<YYYYMMDD>/<region>/oss/aliyun_v4_request` (oss-protocol §3.4,
// §5.2). Malformed ⇒ 400 InvalidArgument, EC 0002-00000710 [D9]. Browser-safe: no node:* imports.
import { errorConditions } from '../errors/error-conditions.js';
import { OssError } from '../errors/oss-error.js';
import { isCompactUtcDate } from '../policy/utc-calendar.js';

export interface V4Credential {
  readonly accessKeyId: string;
  /** Scope date `YYYYMMDD` (UTC). */
  readonly date: string;
  readonly region: string;
  /** Always `oss` for OSS requests. */
  readonly product: string;
}

const credentialFieldName = 'x-oss-credential';
const v4Product = 'oss';
const v4Terminator = 'aliyun_v4_request';
// AccessKey ids and region ids are plain ASCII tokens; anything else cannot be a real scope (P).
const tokenPattern = /^[A-Za-z0-9._-]+$/;

function malformedCredential(credential: string, reason: string): OssError {
  return new OssError('InvalidArgument', {
    message: `Invalid x-oss-credential: ${reason}. Expected <AccessKeyId>/<YYYYMMDD>/<region>/oss/aliyun_v4_request.`,
    ec: errorConditions.credentialMalformed,
    extra: [
      ['ArgumentName', credentialFieldName],
      ['ArgumentValue', credential.length > 256 ? `${credential.slice(0, 256)}…` : credential],
    ],
  });
}

/** Parses `x-oss-credential`; throws OssError InvalidArgument (EC 0002-00000710). */
export function parseV4Credential(credential: string): V4Credential {
  const parts = credential.split('/');
  if (parts.length !== 5) throw malformedCredential(credential, 'wrong number of parts');
  const [accessKeyId = '', date = '', region = '', product = '', terminator = ''] = parts;
  if (!tokenPattern.test(accessKeyId)) throw malformedCredential(credential, 'bad AccessKeyId');
  if (!isCompactUtcDate(date)) throw malformedCredential(credential, 'bad date');
  if (!tokenPattern.test(region)) throw malformedCredential(credential, 'bad region');
  if (product !== v4Product) throw malformedCredential(credential, 'service must be oss');
  if (terminator !== v4Terminator) throw malformedCredential(credential, 'must end with aliyun_v4_request');
  return { accessKeyId, date, region, product };
}

export interface V4CredentialInput {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
}

/** Builds `x-oss-credential`; throws InvalidArgument if the parts could not be parsed back. */
export function buildV4Credential(input: V4CredentialInput): string {
  const credential = [input.accessKeyId, input.date, input.region, v4Product, v4Terminator].join('/');
  parseV4Credential(credential);
  return credential;
}
