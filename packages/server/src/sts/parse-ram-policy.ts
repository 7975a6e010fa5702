// The RAM policy language as STS AssumeRole's inline `Policy` uses it (Alibaba Cloud RAM "Policy
// structure and syntax"): {"Version":"1","Statement":[{"Effect","Action"|"NotAction","Resource"|
// "NotResource","Condition"?}]}. Parsed strictly (duplicate keys rejected, threats §B7.1) so that what is
// evaluated is exactly what was sent; anything malformed is STS InvalidParameter.PolicyGrammar.
import { parseStrictJson, StrictJsonError, type JsonNode } from '@upcall/protocol';
import { StsError } from './sts-error.js';

export type RamEffect = 'Allow' | 'Deny';

/** One condition operator applied to one key, e.g. StringLike oss:Prefix ["user/*"]. */
export interface RamCondition {
  readonly operator: string;
  readonly key: string;
  readonly values: readonly string[];
}

export interface RamStatement {
  readonly effect: RamEffect;
  /** Patterns; `negated` = the statement used NotAction. */
  readonly actions: readonly string[];
  readonly actionsNegated: boolean;
  readonly resources: readonly string[];
  readonly resourcesNegated: boolean;
  readonly conditions: readonly RamCondition[];
}

export interface RamPolicy {
  readonly statements: readonly RamStatement[];
}

/** STS caps the inline policy (INFERRED from the AssumeRole reference: "up to 2,048 characters"). */
export const maxInlinePolicyChars = 2048;

const statementKeys = new Set([
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
  'Sid',
]);

function grammarError(detail: string): StsError {
  return new StsError(
    'InvalidParameter.PolicyGrammar',
    `The parameter Policy has not passed grammar check. ${detail}`,
  );
}

function readStrings(node: JsonNode, what: string): string[] {
  const items = node.type === 'array' ? node.items : [node];
  const out = items.map((item) => {
    if (item.type !== 'string' || item.value === '') throw grammarError(`${what} must be non-empty strings.`);
    return item.value;
  });
  if (out.length === 0) throw grammarError(`${what} must not be empty.`);
  return out;
}

function readPair(
  members: ReadonlyMap<string, JsonNode>,
  name: string,
): { values: string[]; negated: boolean } {
  const plain = members.get(name);
  const negated = members.get(`Not${name}`);
  if ((plain === undefined) === (negated === undefined)) {
    throw grammarError(`A statement needs exactly one of ${name} and Not${name}.`);
  }
  const node = plain ?? negated;
  return { values: node === undefined ? [] : readStrings(node, name), negated: plain === undefined };
}

function readConditions(node: JsonNode | undefined): RamCondition[] {
  if (node === undefined) return [];
  if (node.type !== 'object') throw grammarError('Condition must be an object.');
  const out: RamCondition[] = [];
  for (const [operator, block] of node.members) {
    if (block.type !== 'object') throw grammarError(`Condition ${operator} must be an object.`);
    for (const [key, values] of block.members) out.push({ operator, key, values: readStrings(values, key) });
  }
  return out;
}

function readStatement(node: JsonNode): RamStatement {
  if (node.type !== 'object') throw grammarError('Each statement must be an object.');
  for (const name of node.members.keys()) {
    if (!statementKeys.has(name)) throw grammarError(`Unknown statement element ${name}.`);
  }
  const effect = node.members.get('Effect');
  if (effect?.type !== 'string' || (effect.value !== 'Allow' && effect.value !== 'Deny')) {
    throw grammarError('Effect must be "Allow" or "Deny".');
  }
  const actions = readPair(node.members, 'Action');
  const resources = readPair(node.members, 'Resource');
  return {
    effect: effect.value,
    actions: actions.values,
    actionsNegated: actions.negated,
    resources: resources.values,
    resourcesNegated: resources.negated,
    conditions: readConditions(node.members.get('Condition')),
  };
}

function parseJson(text: string): JsonNode {
  try {
    return parseStrictJson(text, { maxDepth: 8 });
  } catch (error) {
    if (error instanceof StrictJsonError) throw grammarError(error.message);
    throw error;
  }
}

/** Parses an inline policy document. Throws StsError InvalidParameter.PolicyGrammar. */
export function parseRamPolicy(text: string): RamPolicy {
  if (text.length > maxInlinePolicyChars) {
    throw grammarError(`The policy is longer than ${maxInlinePolicyChars} characters.`);
  }
  const root = parseJson(text);
  if (root.type !== 'object') throw grammarError('The policy must be a JSON object.');
  for (const name of root.members.keys()) {
    if (name !== 'Version' && name !== 'Statement') throw grammarError(`Unknown policy element ${name}.`);
  }
  const version = root.members.get('Version');
  if (version?.type !== 'string' || version.value !== '1') throw grammarError('Version must be "1".');
  const statement = root.members.get('Statement');
  if (statement?.type !== 'array' || statement.items.length === 0) {
    throw grammarError('Statement must be a non-empty array.');
  }
  return { statements: statement.items.map(readStatement) };
}
