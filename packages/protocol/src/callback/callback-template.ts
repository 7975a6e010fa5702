// callbackBody templates (oss-protocol §8.4, §8.5): literal text plus `${name}` system variables and
// `${x:name}` custom variables. Parsed once when the callback parameter is validated, so that rendering
// cannot fail after the object is stored, and so every variable knows whether it sits inside a JSON
// string literal (which decides how its value is escaped; see render-callback-body.ts).
import {
  callbackSystemVarNames,
  type CallbackBodyType,
  type CallbackSystemVarName,
} from './callback-wire-names.js';
import {
  callbackArgumentFailer,
  callbackEc,
  notJsonMessage,
  type FailCallbackArgument,
} from './callback-argument-error.js';

export type CallbackVariableName = CallbackSystemVarName | `x:${string}`;

export type CallbackTemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'variable'; readonly name: CallbackVariableName; readonly inJsonString: boolean };

type TemplateToken = { text: string } | { name: CallbackVariableName };

const systemNames: ReadonlySet<string> = new Set(callbackSystemVarNames);

function checkVariableName(name: string, fail: FailCallbackArgument): CallbackVariableName {
  if (systemNames.has(name)) return name as CallbackSystemVarName;
  if (name.startsWith('x:')) {
    // `$`/`{` inside a name can only come from a mistyped nested variable; refuse rather than guess.
    if (name.length === 2)
      fail(callbackEc.substitution, 'The callback body has a custom variable without a name: ${x:}.');
    if (!/[${]/.test(name)) return name as `x:${string}`;
  }
  return fail(callbackEc.substitution, `The callback body references an unknown variable: \${${name}}.`);
}

/** Splits a template into text and variables. `$` must open `${` (OSS: "Left brace must be adjacent…"). */
function tokenize(body: string, fail: FailCallbackArgument): TemplateToken[] {
  const tokens: TemplateToken[] = [];
  let index = 0;
  while (index < body.length) {
    const dollar = body.indexOf('$', index);
    if (dollar === -1) {
      tokens.push({ text: body.slice(index) });
      break;
    }
    if (dollar > index) tokens.push({ text: body.slice(index, dollar) });
    if (body[dollar + 1] !== '{')
      fail(callbackEc.substitution, 'Left brace must be adjacent to dollar sign.');
    const close = body.indexOf('}', dollar + 2);
    if (close === -1)
      fail(callbackEc.substitution, 'The callback body has a variable without a closing brace.');
    tokens.push({ name: checkVariableName(body.slice(dollar + 2, close), fail) });
    index = close + 1;
  }
  return tokens;
}

/** Tracks whether the text so far leaves us inside a JSON string literal (and mid-escape). */
function advanceJsonState(state: { inString: boolean; escaped: boolean }, text: string): void {
  for (const char of text) {
    if (!state.inString) state.inString = char === '"';
    else if (state.escaped) state.escaped = false;
    else if (char === '\\') state.escaped = true;
    else if (char === '"') state.inString = false;
  }
}

/**
 * Parses and validates a callbackBody template. For `application/json` the template must be JSON once each
 * variable is replaced by a placeholder (`null` outside strings, a letter inside them) — OSS rejects such
 * bodies with "The callback configuration is not json format." (§8.5, D7). Throws OssError InvalidArgument
 * (ArgumentName `callback`); app code can use it to check a template before issuing an upload ticket.
 */
export function parseCallbackTemplate(
  body: string,
  bodyType: CallbackBodyType,
  fail: FailCallbackArgument = callbackArgumentFailer('callback', body),
): CallbackTemplatePart[] {
  const json = bodyType === 'application/json';
  const state = { inString: false, escaped: false };
  const parts: CallbackTemplatePart[] = [];
  let placeholderText = '';
  for (const token of tokenize(body, fail)) {
    if ('text' in token) {
      parts.push({ kind: 'text', text: token.text });
      if (json) advanceJsonState(state, token.text);
      placeholderText += token.text;
      continue;
    }
    if (json && state.escaped) fail(undefined, notJsonMessage); // `"\${x}"` escapes the variable itself
    parts.push({ kind: 'variable', name: token.name, inJsonString: json && state.inString });
    placeholderText += state.inString ? 'v' : 'null';
  }
  if (json && !isJson(placeholderText)) fail(undefined, notJsonMessage);
  return parts;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
