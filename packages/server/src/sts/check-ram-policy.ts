// Pure RAM policy evaluation (Alibaba Cloud RAM "Policy evaluation process"): an explicit Deny anywhere
// wins; otherwise the request needs an Allow. A session carries several policies (the role's, the inline
// one, and for role chaining the caller's) and their effect is the INTERSECTION: every one of them must
// allow — which is how an inline policy can only narrow, never widen, what a session may do.
import type { RamCondition, RamPolicy, RamStatement } from './parse-ram-policy.js';

export interface RamRequest {
  /** e.g. `oss:PutObject`. */
  readonly action: string;
  /** e.g. `acs:oss:*:*:uploads/users/42/a.bin`. */
  readonly resource: string;
  /** Condition keys by lower-case name (`oss:prefix`), for ListObjects. */
  readonly context?: ReadonlyMap<string, string>;
}

export type RamDecision = 'allow' | 'explicit-deny' | 'implicit-deny';

/** `*` = any run of characters, `?` = one character; everything else literal. Linear-time, no regex. */
export function matchWildcard(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p += 1;
      t += 1;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p;
      mark = t;
      p += 1;
    } else if (star !== -1) {
      p = star + 1;
      mark += 1;
      t = mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p += 1;
  return p === pattern.length;
}

function matchAction(pattern: string, action: string): boolean {
  // RAM action names are case-insensitive (`oss:putobject` = `oss:PutObject`).
  return matchWildcard(pattern.toLowerCase(), action.toLowerCase());
}

/**
 * `acs:<service>:<region>:<account>:<relative>`. The relative part (bucket/key) may hold `:` itself.
 * Region and account are not compared: a local server has neither, and policies written for the cloud
 * (`acs:oss:*:1234567890:bucket/*`) must keep their meaning here (docs/adr/0009-local-sts.md).
 */
function matchResource(pattern: string, resource: string): boolean {
  if (pattern === '*') return true;
  const p = pattern.split(':');
  const r = resource.split(':');
  if (p.length < 5 || r.length < 5 || p[0] !== 'acs' || r[0] !== 'acs') return false;
  if (!matchWildcard((p[1] ?? '').toLowerCase(), (r[1] ?? '').toLowerCase())) return false;
  return matchWildcard(p.slice(4).join(':'), r.slice(4).join(':'));
}

type ConditionResult = boolean | 'unsupported';

const stringOperators: Record<string, (value: string, expected: string) => boolean> = {
  stringequals: (v, e) => v === e,
  stringequalsignorecase: (v, e) => v.toLowerCase() === e.toLowerCase(),
  stringlike: (v, e) => matchWildcard(e, v),
};

function checkCondition(condition: RamCondition, context: ReadonlyMap<string, string>): ConditionResult {
  const operator = condition.operator.toLowerCase();
  const negated = operator.startsWith('stringnot');
  const compare = stringOperators[negated ? operator.replace('stringnot', 'string') : operator];
  if (compare === undefined) return 'unsupported';
  const value = context.get(condition.key.toLowerCase());
  // A key the request does not have: positive operators fail, negated ones hold (AWS/RAM convention).
  if (value === undefined) return negated;
  const matched = condition.values.some((expected) => compare(value, expected));
  return negated ? !matched : matched;
}

/**
 * Whether a statement applies. A condition we cannot evaluate fails closed: an Allow with it never
 * applies, a Deny with it always does.
 */
function statementApplies(statement: RamStatement, request: RamRequest): boolean {
  const action = statement.actions.some((pattern) => matchAction(pattern, request.action));
  if (action === statement.actionsNegated) return false;
  const resource = statement.resources.some((pattern) => matchResource(pattern, request.resource));
  if (resource === statement.resourcesNegated) return false;
  const context = request.context ?? new Map<string, string>();
  for (const condition of statement.conditions) {
    const result = checkCondition(condition, context);
    if (result === 'unsupported') return statement.effect === 'Deny';
    if (!result) return false;
  }
  return true;
}

/** One policy's verdict for a request. */
export function checkRamPolicy(policy: RamPolicy, request: RamRequest): RamDecision {
  let allowed = false;
  for (const statement of policy.statements) {
    if (!statementApplies(statement, request)) continue;
    if (statement.effect === 'Deny') return 'explicit-deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}

/** The intersection of several policies: any explicit Deny wins, then every policy must allow. */
export function checkRamPolicies(policies: readonly RamPolicy[], request: RamRequest): RamDecision {
  const verdicts = policies.map((policy) => checkRamPolicy(policy, request));
  if (verdicts.includes('explicit-deny')) return 'explicit-deny';
  return verdicts.length > 0 && verdicts.every((verdict) => verdict === 'allow') ? 'allow' : 'implicit-deny';
}
