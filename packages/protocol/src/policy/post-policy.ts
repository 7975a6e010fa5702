// The parsed POST policy (oss-protocol §4) as plain data. Field names are canonical: lower-cased and
// without the leading `$` (form field names are case-insensitive, §3.3/§4.4). Values are the ones to
// compare with, i.e. after the policy's `\$` escape has been undone (§4.4). `rendering` is the
// condition as OSS prints it in "Policy Condition failed: …" messages (§4.5).
import type { Verdict } from '../errors/verdict.js';

export interface ContentLengthRange {
  readonly minBytes: number;
  readonly maxBytes: number;
}

interface FieldCondition {
  /** Canonical field name: lower case, no `$` (e.g. `content-type`). */
  readonly field: string;
  readonly rendering: string;
}

export interface EqCondition extends FieldCondition {
  readonly kind: 'eq';
  /** `object` for `{"field":"value"}`, `list` for `["eq","$field","value"]`. */
  readonly form: 'object' | 'list';
  readonly value: string;
}

export interface StartsWithCondition extends FieldCondition {
  readonly kind: 'starts-with';
  readonly prefix: string;
}

export interface InCondition extends FieldCondition {
  readonly kind: 'in' | 'not-in';
  readonly values: readonly string[];
}

export interface ContentLengthRangeCondition extends ContentLengthRange {
  readonly kind: 'content-length-range';
  readonly rendering: string;
}

export type PolicyCondition = EqCondition | StartsWithCondition | InCondition | ContentLengthRangeCondition;

export interface PostPolicy {
  /** `expiration` as milliseconds since the epoch (UTC). */
  readonly expirationMs: number;
  readonly conditions: readonly PolicyCondition[];
  /** Intersection of every content-length-range condition; undefined when the policy has none. */
  readonly contentLengthRange: ContentLengthRange | undefined;
}

export type PolicyVerdict = Verdict;
