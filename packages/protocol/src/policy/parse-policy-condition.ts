// One entry of `conditions` (oss-protocol §4.3): `{"field":"value"}`, `["eq"|"starts-with", "$f", v]`,
// `["in"|"not-in", "$f", [v…]]` or `["content-length-range", min, max]`. Operators are case-sensitive
// (ceph `test_post_object_condition_is_case_sensitive`); `bucket` is exact-only (threats §C1.12).
import type { JsonNode } from './strict-json.js';
import type { PolicyCondition } from './post-policy.js';
import { invalidPolicyDocument, truncateForMessage } from './invalid-policy-document.js';
import { renderFieldName, renderPolicyCondition } from './render-policy-condition.js';
import { unescapePolicyValue } from './policy-value-escape.js';

interface FieldName {
  readonly field: string;
  readonly rendered: string;
}

/** `$key`, `key`, `$Content-Type` → canonical `key`/`content-type`; `$` optional (§4.4 INFERRED). */
function parseFieldName(node: JsonNode | undefined): FieldName {
  if (node?.type !== 'string') {
    throw invalidPolicyDocument('Invalid Condition: field name must be a string.', 'policyInvalid');
  }
  const spelled = node.value.startsWith('$') ? node.value.slice(1) : node.value;
  if (spelled === '') {
    throw invalidPolicyDocument('Invalid Condition: field name must not be empty.', 'policyInvalid');
  }
  return { field: spelled.toLowerCase(), rendered: renderFieldName(spelled) };
}

function rejectNonExactBucket(operator: string, name: FieldName): void {
  if (name.field === 'bucket') {
    throw invalidPolicyDocument(
      `Invalid Condition: bucket only supports exact matching, not ${JSON.stringify(operator)}.`,
      'policyInvalid',
    );
  }
}

function requireArity(items: readonly JsonNode[], operator: string): void {
  if (items.length !== 3) {
    throw invalidPolicyDocument(
      `Invalid Condition: ${JSON.stringify(operator)} takes exactly 2 arguments, got ${items.length - 1}.`,
      'conditionWrongArity',
    );
  }
}

function parseSimpleCondition(members: ReadonlyMap<string, JsonNode>): PolicyCondition {
  const entries = [...members];
  const [entry] = entries;
  if (entries.length !== 1 || !entry) {
    throw invalidPolicyDocument(
      'Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.',
      'policyInvalid',
    );
  }
  const [spelled, valueNode] = entry;
  if (valueNode.type !== 'string') {
    throw invalidPolicyDocument('Invalid Simple-Condition: value must be a string.', 'policyInvalid');
  }
  const name = parseFieldName({ type: 'string', value: spelled });
  return {
    kind: 'eq',
    form: 'object',
    field: name.field,
    value: unescapePolicyValue(valueNode.value),
    rendering: renderPolicyCondition(['eq', name.rendered, valueNode.value]),
  };
}

function parseMatchCondition(operator: 'eq' | 'starts-with', items: readonly JsonNode[]): PolicyCondition {
  requireArity(items, operator);
  const name = parseFieldName(items[1]);
  if (operator === 'starts-with') rejectNonExactBucket(operator, name);
  const valueNode = items[2];
  if (valueNode?.type !== 'string') {
    throw invalidPolicyDocument(`Invalid Condition: ${operator} value must be a string.`, 'policyInvalid');
  }
  const rendering = renderPolicyCondition([operator, name.rendered, valueNode.value]);
  const value = unescapePolicyValue(valueNode.value);
  return operator === 'eq'
    ? { kind: 'eq', form: 'list', field: name.field, value, rendering }
    : { kind: 'starts-with', field: name.field, prefix: value, rendering };
}

function parseSetCondition(operator: 'in' | 'not-in', items: readonly JsonNode[]): PolicyCondition {
  requireArity(items, operator);
  const name = parseFieldName(items[1]);
  rejectNonExactBucket(operator, name);
  const listNode = items[2];
  const raw =
    listNode?.type === 'array'
      ? listNode.items.map((item) => (item.type === 'string' ? item.value : undefined))
      : [undefined];
  if (!raw.every((value): value is string => value !== undefined)) {
    throw invalidPolicyDocument(
      `Invalid Condition: ${operator} takes a list of strings.`,
      'conditionListExpected',
    );
  }
  return {
    kind: operator,
    field: name.field,
    values: raw.map(unescapePolicyValue),
    rendering: renderPolicyCondition([operator, name.rendered, raw]),
  };
}

/** A JSON number that is a plain non-negative safe integer: no sign, fraction or exponent. */
function parseByteCount(node: JsonNode | undefined): number | undefined {
  if (node?.type !== 'number' || !/^(?:0|[1-9][0-9]*)$/.test(node.text)) return undefined;
  const value = Number(node.text);
  return Number.isSafeInteger(value) ? value : undefined;
}

function parseRangeCondition(items: readonly JsonNode[]): PolicyCondition {
  requireArity(items, 'content-length-range');
  const minBytes = parseByteCount(items[1]);
  const maxBytes = parseByteCount(items[2]);
  if (minBytes === undefined || maxBytes === undefined) {
    throw invalidPolicyDocument(
      'Invalid content-length-range: min-len and max-len must be non-negative integers.',
      'contentLengthRangeNotInteger',
    );
  }
  if (maxBytes < minBytes) {
    throw invalidPolicyDocument(
      'Invalid content-length-range: max-len must not be less than min-len.',
      'contentLengthRangeMaxBelowMin',
    );
  }
  const rendering = renderPolicyCondition(['content-length-range', minBytes, maxBytes]);
  return { kind: 'content-length-range', minBytes, maxBytes, rendering };
}

function parseListCondition(items: readonly JsonNode[]): PolicyCondition {
  const head = items[0];
  const operator = head?.type === 'string' ? head.value : undefined;
  switch (operator) {
    case 'eq':
    case 'starts-with':
      return parseMatchCondition(operator, items);
    case 'in':
    case 'not-in':
      return parseSetCondition(operator, items);
    case 'content-length-range':
      return parseRangeCondition(items);
    default: {
      const shown = operator === undefined ? 'missing' : JSON.stringify(truncateForMessage(operator, 64));
      throw invalidPolicyDocument(`Invalid Condition: unknown operator ${shown}.`, 'conditionUnknownMode');
    }
  }
}

/** Parses one `conditions` entry; throws InvalidPolicyDocument. */
export function parsePolicyCondition(node: JsonNode): PolicyCondition {
  if (node.type === 'object') return parseSimpleCondition(node.members);
  if (node.type === 'array') return parseListCondition(node.items);
  throw invalidPolicyDocument(
    'Invalid Condition: each condition must be a map or a list.',
    'conditionNotMapOrList',
  );
}
