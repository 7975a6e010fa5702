// POST policy parser (oss-protocol §4): strict standard Base64 → UTF-8 → duplicate-free JSON →
// `{"expiration": …, "conditions": […]}` and nothing else. Every failure is 400 InvalidPolicyDocument
// with the EC D9 documents for it (§4.2, §4.3, §4.6). Size, count and depth are bounded before any
// expensive work so a hostile policy is refused quickly (threats §C1.11).
import { decodeBase64Strict } from './base64-codec.js';
import { invalidPolicyDocument, truncateForMessage } from './invalid-policy-document.js';
import { parsePolicyCondition } from './parse-policy-condition.js';
import { parsePolicyExpiration } from './parse-policy-expiration.js';
import type { ContentLengthRange, PolicyCondition, PostPolicy } from './post-policy.js';
import { parseStrictJson, StrictJsonError, type JsonNode } from './strict-json.js';

/** Largest accepted `policy` field, in Base64 characters (P). */
export const maxPolicyBase64Chars = 64 * 1024;
/** Most conditions one policy may hold (P). */
export const maxPolicyConditions = 1000;
/** object → conditions list → condition list → in/not-in list: the grammar never nests deeper. */
const policyJsonMaxDepth = 4;

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodePolicyText(policyBase64: string): string {
  if (policyBase64.length > maxPolicyBase64Chars) {
    throw invalidPolicyDocument(`policy is longer than ${maxPolicyBase64Chars} characters.`, 'policyInvalid');
  }
  const bytes = decodeBase64Strict(policyBase64);
  if (bytes === undefined) throw invalidPolicyDocument('policy is not valid Base64.', 'policyNotBase64');
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    throw invalidPolicyDocument('policy is not valid UTF-8.', 'policyNotUtf8');
  }
}

function parsePolicyJson(text: string): JsonNode {
  try {
    return parseStrictJson(text, { maxDepth: policyJsonMaxDepth });
  } catch (error) {
    if (!(error instanceof StrictJsonError)) throw error;
    throw invalidPolicyDocument(
      error.message,
      error.failure === 'too-deep' ? 'policyInvalid' : 'policyNotJson',
    );
  }
}

function requirePolicyMembers(members: ReadonlyMap<string, JsonNode>): [JsonNode, JsonNode] {
  const expiration = members.get('expiration');
  const conditions = members.get('conditions');
  if (!expiration && !conditions) {
    throw invalidPolicyDocument(
      'Policy missing expiration and conditions.',
      'expirationAndConditionsMissing',
    );
  }
  if (!expiration) throw invalidPolicyDocument('Policy missing expiration.', 'expirationMissing');
  if (!conditions) throw invalidPolicyDocument('Policy missing conditions.', 'conditionsMissing');
  for (const name of members.keys()) {
    if (name !== 'expiration' && name !== 'conditions') {
      const shown = JSON.stringify(truncateForMessage(name, 64));
      throw invalidPolicyDocument(`Unknown policy member ${shown}.`, 'policyInvalid');
    }
  }
  return [expiration, conditions];
}

function parseConditions(node: JsonNode): PolicyCondition[] {
  if (node.type !== 'array') throw invalidPolicyDocument('conditions must be a list.', 'policyInvalid');
  if (node.items.length === 0)
    throw invalidPolicyDocument('conditions must not be empty.', 'conditionsEmpty');
  if (node.items.length > maxPolicyConditions) {
    throw invalidPolicyDocument(`more than ${maxPolicyConditions} conditions.`, 'policyInvalid');
  }
  return node.items.map(parsePolicyCondition);
}

/** Every content-length-range must hold, so the effective range is their intersection. */
function intersectRanges(conditions: readonly PolicyCondition[]): ContentLengthRange | undefined {
  let range: ContentLengthRange | undefined;
  for (const c of conditions) {
    if (c.kind !== 'content-length-range') continue;
    range = range
      ? { minBytes: Math.max(range.minBytes, c.minBytes), maxBytes: Math.min(range.maxBytes, c.maxBytes) }
      : { minBytes: c.minBytes, maxBytes: c.maxBytes };
  }
  return range;
}

/** Parses the `policy` form field exactly as sent; throws OssError InvalidPolicyDocument. */
export function parsePolicy(policyBase64: string): PostPolicy {
  const root = parsePolicyJson(decodePolicyText(policyBase64));
  if (root.type !== 'object') throw invalidPolicyDocument('policy must be a JSON object.', 'policyInvalid');
  const [expirationNode, conditionsNode] = requirePolicyMembers(root.members);
  const expirationMs = parsePolicyExpiration(expirationNode);
  const conditions = parseConditions(conditionsNode);
  return { expirationMs, conditions, contentLengthRange: intersectRanges(conditions) };
}
