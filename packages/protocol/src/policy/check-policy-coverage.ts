// `--strict-post-policy` (threats §C2 item 19, §B2): S3's and MinIO's rule that "each form field that you
// specify in a form (except the signature, the file, the policy and x-ignore-* fields) must appear in
// the list of conditions". OSS itself accepts fields the policy does not mention (oss-protocol §4.3), so
// this is opt-in: it stops a holder of an upload policy from adding `x-oss-object-acl`, metadata,
// `success_action_redirect` or `x:` callback variables the application never signed.
import { errorConditions } from '../errors/error-conditions.js';
import { OssError } from '../errors/oss-error.js';
import { failVerdict, passVerdict } from '../errors/verdict.js';
import type { PolicyVerdict, PostPolicy } from './post-policy.js';

/** Fields that authenticate the form or carry the file; they cannot name themselves in the policy. */
const exemptFields: ReadonlySet<string> = new Set([
  'policy',
  'file',
  'ossaccesskeyid',
  'signature',
  'x-oss-signature',
]);
const ignoredPrefix = 'x-ignore-';

export const extraFieldMessage =
  'Each form field that you specify in a form (except OSSAccessKeyId, Signature, x-oss-signature, ' +
  'policy, file and x-ignore-* fields) must appear in the list of conditions.';

/**
 * Passes when every field of the form (lower-cased names, as parsed before the file) is exempt or named
 * by at least one condition, whatever its operator; else 403 AccessDenied naming the first extra field.
 */
export function checkPolicyCoversFields(policy: PostPolicy, fieldNames: Iterable<string>): PolicyVerdict {
  const named = new Set<string>();
  for (const condition of policy.conditions) {
    if (condition.kind !== 'content-length-range') named.add(condition.field);
  }
  for (const name of fieldNames) {
    const field = name.toLowerCase();
    if (exemptFields.has(field) || field.startsWith(ignoredPrefix) || named.has(field)) continue;
    return failVerdict(
      new OssError('AccessDenied', {
        message: `Invalid according to Policy: ${extraFieldMessage} Extra field: ${field}.`,
        ec: errorConditions.policyConditionFailed,
      }),
    );
  }
  return passVerdict;
}
