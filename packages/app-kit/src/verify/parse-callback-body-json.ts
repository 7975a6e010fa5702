// JSON callback bodies (application/json, §8.1): members as scalars (strings, number text, booleans; null,
// arrays and objects are not scalars); a nested `imageInfo` object is flattened to `imageInfo.height` etc.
// Strict on purpose: duplicate members are refused (threats §B12), at the top level by the strict parser
// and here when a flattened name meets a top-level member of the same name.
import { parseStrictJson, StrictJsonError, type JsonNode } from '@upcall/protocol';
import { CallbackVerificationError } from './callback-verification-error.js';
import { CallbackBodyFields, defineMember, setCallbackBodyField } from './parse-callback-body-fields.js';

function badRequest(message: string): never {
  throw new CallbackVerificationError('bad-request', message);
}

/** JSON numbers become numbers only when exact; otherwise (crc64 > 2^53) they stay text. */
function toPlain(node: JsonNode): unknown {
  switch (node.type) {
    case 'string':
    case 'boolean':
      return node.value;
    case 'null':
      return null;
    case 'number':
      return String(Number(node.text)) === node.text ? Number(node.text) : node.text;
    case 'array':
      return node.items.map(toPlain);
    case 'object':
      return toPlainObject(node.members);
  }
}

/** As Object.fromEntries would build it, without the intermediate arrays. */
function toPlainObject(members: ReadonlyMap<string, JsonNode>): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [name, child] of members) defineMember(plain, name, toPlain(child));
  return plain;
}

function scalarText(node: JsonNode): string | undefined {
  if (node.type === 'string') return node.value;
  if (node.type === 'number') return node.text;
  if (node.type === 'boolean') return String(node.value);
  return undefined;
}

const flattenedPrefix = 'imageInfo.';

/** Reads a JSON body's members; throws CallbackVerificationError('bad-request'). */
export function parseCallbackBodyJson(text: string): CallbackBodyFields {
  let root: JsonNode;
  try {
    root = parseStrictJson(text, { maxDepth: 8 });
  } catch (error) {
    if (!(error instanceof StrictJsonError)) throw error;
    return badRequest(`The callback body is not valid JSON (${error.message}).`);
  }
  if (root.type !== 'object') return badRequest('The callback body is not a JSON object.');
  const fields = new CallbackBodyFields({});
  // Top-level names are unique (the strict parser refuses repeats), so only names with the flattened
  // prefix can meet twice: just those are remembered.
  const prefixed = new Set<string>();
  for (const [name, node] of root.members) {
    if (node.type === 'object' && name === 'imageInfo') {
      for (const [child, value] of node.members) addScalar(fields, prefixed, flattenedPrefix + child, value);
    } else addScalar(fields, prefixed, name, node);
    defineMember(fields.raw, name, toPlain(node));
  }
  return fields;
}

function addScalar(fields: CallbackBodyFields, prefixed: Set<string>, name: string, node: JsonNode): void {
  const value = scalarText(node);
  if (value === undefined) return;
  if (name.startsWith(flattenedPrefix)) {
    if (prefixed.has(name)) badRequest(`The callback body repeats the member "${name}".`);
    prefixed.add(name);
  }
  setCallbackBodyField(fields, name, value);
}
