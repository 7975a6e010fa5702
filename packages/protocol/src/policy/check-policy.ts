// Pure policy checks (oss-protocol §4.2, §4.4, §4.5): a function of the parsed policy, the canonical
// form fields, the bucket the request is addressed to and the time. No I/O, no clock of its own.
import { errorConditions } from '../errors/error-conditions.js';
import { OssError } from '../errors/oss-error.js';
import { failVerdict, passVerdict } from '../errors/verdict.js';
import type { PolicyCondition, PolicyVerdict, PostPolicy } from './post-policy.js';

export interface PolicyCheckInput {
  /** Form fields by lower-cased name (§3.3), values raw: before `${filename}` expansion (§3.5). */
  readonly fields: ReadonlyMap<string, string>;
  /** Bucket the request is addressed to; the only value a `bucket` condition is compared with. */
  readonly bucket: string;
  readonly nowMs: number;
}

export const policyExpiredMessage = 'Invalid according to Policy: Policy expired.';
export const policyConditionFailedPrefix = 'Invalid according to Policy: Policy Condition failed: ';

function conditionHolds(condition: PolicyCondition, input: PolicyCheckInput): boolean {
  // content-length-range is judged on the file bytes while they stream: see checkContentLength.
  if (condition.kind === 'content-length-range') return true;
  const actual = condition.field === 'bucket' ? input.bucket : input.fields.get(condition.field);
  switch (condition.kind) {
    case 'eq':
      return actual === condition.value;
    case 'starts-with':
      // An empty prefix admits anything, even an absent field (§4.4 INFERRED, S3 semantics).
      return condition.prefix === '' || (actual !== undefined && actual.startsWith(condition.prefix));
    case 'in':
      return actual !== undefined && condition.values.includes(actual);
    case 'not-in':
      // Absent fails, like every other condition on an absent field ([D10] row 11; P for not-in).
      return actual !== undefined && !condition.values.includes(actual);
  }
}

/**
 * Expiry first (exactly-now counts as expired, threats §C1.7), then every condition in policy order;
 * the first failure is reported as OSS reports it. Fields the policy does not mention are allowed (§4.3).
 */
export function checkPolicy(policy: PostPolicy, input: PolicyCheckInput): PolicyVerdict {
  if (input.nowMs >= policy.expirationMs) {
    return failVerdict(
      new OssError('AccessDenied', { message: policyExpiredMessage, ec: errorConditions.policyExpired }),
    );
  }
  for (const condition of policy.conditions) {
    if (!conditionHolds(condition, input)) {
      return failVerdict(
        new OssError('AccessDenied', {
          message: policyConditionFailedPrefix + condition.rendering,
          ec: errorConditions.policyConditionFailed,
        }),
      );
    }
  }
  return passVerdict;
}

/**
 * Size check against content-length-range (§4.5). The server calls it with the running byte count
 * while streaming (cut off as soon as `sizeBytes > contentLengthRange.maxBytes`) and once at the end.
 * A policy without the condition passes here; the server's own 5 GiB ceiling still applies.
 */
export function checkContentLength(policy: PostPolicy, sizeBytes: number): PolicyVerdict {
  const range = policy.contentLengthRange;
  if (range === undefined) return passVerdict;
  if (sizeBytes > range.maxBytes) {
    return failVerdict(new OssError('EntityTooLarge', { ec: errorConditions.entityTooLarge }));
  }
  if (sizeBytes < range.minBytes) {
    return failVerdict(new OssError('EntityTooSmall', { ec: errorConditions.entityTooSmall }));
  }
  return passVerdict;
}

/** The value a policy pins for `field` with `eq`/object form (first one), e.g. `x-oss-date` (§5.2). */
export function findPolicyExactValue(policy: PostPolicy, field: string): string | undefined {
  const wanted = field.toLowerCase();
  for (const c of policy.conditions) {
    if (c.kind === 'eq' && c.field === wanted) return c.value;
  }
  return undefined;
}
