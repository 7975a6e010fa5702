// Builds a POST policy for toolkits (oss-protocol §4.7). The JSON comes from JSON.stringify of plain
// objects, never from string templates, so a value such as `"},{"bucket":"other` stays inside its
// string (threats §B2, minio-java #1174). The result is then run through parsePolicy, so the builder
// can never emit a policy that our own server, or OSS's documented rules, would refuse.
import { OssError } from '../errors/oss-error.js';
import { encodeBase64Utf8 } from './base64-codec.js';
import { parsePolicy } from './parse-policy.js';

/** A condition in its wire shape (§4.3). Field names may carry the `$` or not. */
export type PostPolicyConditionInput =
  | readonly ['eq' | 'starts-with', string, string]
  | readonly ['in' | 'not-in', string, readonly string[]]
  | readonly ['content-length-range', number, number]
  | { readonly [field: string]: string };

export interface PostPolicyInput {
  readonly expiration: Date;
  readonly conditions: readonly PostPolicyConditionInput[];
}

export interface BuiltPostPolicy {
  /** The policy JSON text (compact). */
  readonly json: string;
  /** Base64 of its UTF-8 bytes: the `policy` form field and the string to sign (§5). */
  readonly base64: string;
}

/** Copies a condition into fresh plain arrays/objects so no toJSON or getter can alter the output. */
function copyCondition(condition: PostPolicyConditionInput): unknown {
  if (Array.isArray(condition)) {
    return condition.map((part: unknown) => (Array.isArray(part) ? [...(part as unknown[])] : part));
  }
  const copy: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(condition)) {
    Object.defineProperty(copy, field, { value, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

function formatExpiration(expiration: Date): string {
  if (!(expiration instanceof Date) || Number.isNaN(expiration.getTime())) {
    throw new OssError('InvalidArgument', {
      message: 'Policy expiration must be a valid Date.',
      extra: [['ArgumentName', 'expiration']],
    });
  }
  return expiration.toISOString();
}

/** Throws OssError (InvalidArgument, or InvalidPolicyDocument when the result would not parse). */
export function buildPostPolicy(input: PostPolicyInput): BuiltPostPolicy {
  const json = JSON.stringify({
    expiration: formatExpiration(input.expiration),
    conditions: input.conditions.map(copyCondition),
  });
  const base64 = encodeBase64Utf8(json);
  parsePolicy(base64);
  return { json, base64 };
}
