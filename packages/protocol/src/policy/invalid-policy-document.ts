// Builds the 400 InvalidPolicyDocument errors of oss-protocol §4.6. OSS prefixes every message with
// "Invalid Policy: "; wording after the prefix is OSS's where §4.6 quotes it, ours (P) otherwise.
import { errorConditions, type ErrorConditionName } from '../errors/error-conditions.js';
import { OssError } from '../errors/oss-error.js';

export function invalidPolicyDocument(detail: string, ec: ErrorConditionName): OssError {
  return new OssError('InvalidPolicyDocument', {
    message: `Invalid Policy: ${detail}`,
    ec: errorConditions[ec],
  });
}

/** Echoed policy text is truncated so a 64 KiB policy cannot bloat an error body (threats §B10). */
export function truncateForMessage(text: string, maxChars = 256): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars)}…`;
}
