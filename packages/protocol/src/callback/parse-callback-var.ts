// Custom callback variables (oss-protocol §8.2, §8.3): `callback-var` is base64 of a JSON object
// {"x:name":"value",…} (header x-oss-callback-var or query callback-var); PostObject sends one form field
// per variable instead. Keys must start with `x:`; upper-case letters are accepted (§8.2 CONFLICT,
// recommendation: lenient). Values must be strings.
import { callbackArgumentFailer, callbackEc, type FailCallbackArgument } from './callback-argument-error.js';
import { callbackParamNames } from './callback-wire-names.js';
import { defaultCallbackParamMaxBytes } from './parse-callback-param.js';
import { decodeBase64Strict, decodeUtf8Strict } from './strict-base64.js';

export type CallbackCustomVars = Record<`x:${string}`, string>;

const argumentName = 'callback-var';

function isCustomVarName(name: string): name is `x:${string}` {
  return name.startsWith(callbackParamNames.customVarPrefix) && name.length > 2;
}

function decodeJson(base64: string, maxBytes: number): { json: string; parsed: unknown } {
  const raw: FailCallbackArgument = callbackArgumentFailer(argumentName, base64.slice(0, maxBytes));
  if (base64.length > maxBytes) raw(undefined, `The callback-var parameter exceeds ${maxBytes} bytes.`);
  const bytes = decodeBase64Strict(base64, { requirePadding: false });
  if (bytes === undefined) raw(callbackEc.varNotBase64, 'The callback-var parameter is not valid base64.');
  const notJson = 'The callback-var parameter is not json format.';
  const json = decodeUtf8Strict(bytes) ?? raw(callbackEc.varNotJson, notJson);
  try {
    return { json, parsed: JSON.parse(json) as unknown };
  } catch {
    return callbackArgumentFailer(argumentName, json)(callbackEc.varNotJson, notJson);
  }
}

/** Decodes and validates a callback-var parameter; throws OssError InvalidArgument with OSS's EC codes. */
export function parseCallbackVar(base64: string, options: { maxBytes?: number } = {}): CallbackCustomVars {
  const { json, parsed } = decodeJson(base64, options.maxBytes ?? defaultCallbackParamMaxBytes);
  const fail: FailCallbackArgument = callbackArgumentFailer(argumentName, json);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    fail(callbackEc.varNotJson, 'The callback-var parameter must be a JSON object.');
  }
  const vars: CallbackCustomVars = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (!isCustomVarName(name))
      fail(callbackEc.substitution, `The callback-var key ${name} does not start with x:.`);
    if (typeof value !== 'string')
      fail(callbackEc.substitution, `The callback-var value of ${name} is not a string.`);
    vars[name] = value;
  }
  return vars;
}

/**
 * PostObject custom variables: every form field named `x:<name>` (§8.3). Pass field names as received if
 * variable names should stay case-sensitive (D7); only the prefix is matched case-insensitively, because
 * OSS form field names are (§3.3), and normalised to `x:`.
 */
export function collectFormCallbackVars(fields: ReadonlyMap<string, string>): CallbackCustomVars {
  const vars: CallbackCustomVars = {};
  for (const [fieldName, value] of fields) {
    const name = `x:${fieldName.slice(2)}`;
    if (fieldName.slice(0, 2).toLowerCase() === 'x:' && isCustomVarName(name)) vars[name] = value;
  }
  return vars;
}
