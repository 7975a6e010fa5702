// Renders a condition the way OSS prints it after "Policy Condition failed: " (oss-protocol §4.5):
// a JSON-like list with ", " separators, field names with `$` (added when the policy omitted it,
// §4.4), object-form conditions as `["eq", "$name", "value"]`, `in`/`not-in` lists nested (INFERRED).
// Strings go through JSON.stringify, so control characters come out as `\uXXXX` instead of reaching
// the XML body raw; the whole text is capped (threats §B10).
import { truncateForMessage } from './invalid-policy-document.js';

export type RenderedPart = string | number | readonly string[];

const maxRenderingChars = 1024;

function renderPart(part: RenderedPart): string {
  if (typeof part === 'number') return String(part);
  if (typeof part === 'string') return JSON.stringify(part);
  return `[${part.map((item) => JSON.stringify(item)).join(', ')}]`;
}

export function renderPolicyCondition(parts: readonly RenderedPart[]): string {
  return truncateForMessage(`[${parts.map(renderPart).join(', ')}]`, maxRenderingChars);
}

/** `$` + the field name as the policy spelled it (case kept), whether or not it had the `$`. */
export function renderFieldName(spelledName: string): string {
  return `$${spelledName}`;
}
