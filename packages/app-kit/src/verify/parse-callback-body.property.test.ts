// parseCallbackBody's one-pass readers must answer exactly as the plain reading below (split, Map,
// decodeURIComponent, regexes — the implementation before the scenario 4 rewrite): same results, member
// order included, and the same refusals with the same messages, checked in the same order (threats §B12).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseStrictJson, StrictJsonError, type CallbackBodyType, type JsonNode } from '@upcall/protocol';
import { CallbackVerificationError } from './callback-verification-error.js';
import { parseCallbackBody } from './parse-callback-body.js';

const keyUrl = 'https://gosspublic.alicdn.com/callback_pub_key_v1.pem';

function refuse(message: string): never {
  throw new CallbackVerificationError('bad-request', message);
}

function referenceDecode(part: string): string {
  try {
    return decodeURIComponent(part.replaceAll('+', ' '));
  } catch {
    return refuse('The callback body has a malformed percent-encoding.');
  }
}

function referenceForm(text: string): { scalars: Map<string, string>; raw: Record<string, unknown> } {
  const scalars = new Map<string, string>();
  for (const pair of text.split('&').filter((segment) => segment !== '')) {
    const equals = pair.indexOf('=');
    const name = referenceDecode(equals === -1 ? pair : pair.slice(0, equals));
    const value = equals === -1 ? '' : referenceDecode(pair.slice(equals + 1));
    if (scalars.has(name)) refuse(`The callback body repeats the parameter "${name}".`);
    scalars.set(name, value);
  }
  return { scalars, raw: Object.fromEntries(scalars) };
}

function plain(node: JsonNode): unknown {
  if (node.type === 'null') return null;
  if (node.type === 'array') return node.items.map(plain);
  if (node.type === 'object') return Object.fromEntries([...node.members].map(([n, c]) => [n, plain(c)]));
  if (node.type === 'number') return String(Number(node.text)) === node.text ? Number(node.text) : node.text;
  return node.value;
}

function referenceJson(text: string): { scalars: Map<string, string>; raw: Record<string, unknown> } {
  let root: JsonNode;
  try {
    root = parseStrictJson(text, { maxDepth: 8 });
  } catch (error) {
    if (!(error instanceof StrictJsonError)) throw error;
    return refuse(`The callback body is not valid JSON (${error.message}).`);
  }
  if (root.type !== 'object') return refuse('The callback body is not a JSON object.');
  const scalars = new Map<string, string>();
  const add = (name: string, node: JsonNode): void => {
    const value =
      node.type === 'string' || node.type === 'boolean'
        ? String(node.value)
        : node.type === 'number'
          ? node.text
          : undefined;
    if (value === undefined) return;
    if (scalars.has(name)) refuse(`The callback body repeats the member "${name}".`);
    scalars.set(name, value);
  };
  for (const [name, node] of root.members) {
    if (node.type === 'object' && name === 'imageInfo') {
      for (const [child, value] of node.members) add(`imageInfo.${child}`, value);
    } else add(name, node);
  }
  return { scalars, raw: plain(root) as Record<string, unknown> };
}

function referenceParse(body: Uint8Array, bodyType: CallbackBodyType): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return refuse('The callback body is not valid UTF-8.');
  }
  const { scalars, raw } = bodyType === 'application/json' ? referenceJson(text) : referenceForm(text);
  const optional = (name: string) => (scalars.get(name) === '' ? undefined : scalars.get(name));
  const required = (name: string) => optional(name) ?? refuse(`The callback body has no "${name}".`);
  const count = (name: string) => {
    const text = optional(name);
    if (text === undefined) return undefined;
    const value = /^(0|[1-9][0-9]*)$/.test(text) ? Number(text) : NaN;
    return Number.isSafeInteger(value)
      ? value
      : refuse(`The callback body's "${name}" is not a whole number.`);
  };
  const size = count('size') ?? refuse('The callback body has no "size".');
  const uploadId = optional('uploadId') ?? required('x:upload_id');
  const packed = /^([0-9]{1,9})x([0-9]{1,9})$/.exec(scalars.get('imageSize') ?? '');
  const height = count('imageInfo.height') ?? (packed ? Number(packed[2]) : undefined);
  const width = count('imageInfo.width') ?? (packed ? Number(packed[1]) : undefined);
  const format = optional('imageInfo.format');
  const imageInfo = Object.fromEntries(
    Object.entries({ height, width, format }).filter(([, v]) => v !== undefined),
  );
  const extras = ['crc64', 'contentMd5', 'clientIp', 'reqId', 'operation', 'vpcId'].map(
    (n): [string, string | undefined] => [n, optional(n)],
  );
  return {
    bucket: required('bucket'),
    object: required('object'),
    etag: required('etag').replace(/^"(.*)"$/, '$1'),
    size,
    mimeType: scalars.get('mimeType') ?? '',
    ...(Object.keys(imageInfo).length > 0 ? { imageInfo } : {}),
    ...Object.fromEntries(extras.filter(([, v]) => v !== undefined)),
    uploadId,
    vars: Object.fromEntries([...scalars].filter(([name]) => name.startsWith('x:'))),
    raw,
    bodyType,
    keyUrl,
  };
}

/** A comparable record of a run: the result with its member order, or the refusal. */
function outcome(run: () => unknown): unknown {
  try {
    const result = run() as Record<string, unknown>;
    return { ok: result, order: JSON.stringify(result), keys: Object.keys(result) };
  } catch (error) {
    if (!(error instanceof CallbackVerificationError)) throw error;
    return { reason: error.reason, status: error.status, message: error.message };
  }
}

function assertAgrees(body: Uint8Array, bodyType: CallbackBodyType): void {
  assert.deepStrictEqual(
    outcome(() => parseCallbackBody(body, bodyType, keyUrl)),
    outcome(() => referenceParse(body, bodyType)),
  );
}

// Tokens chosen to hit every branch: ASCII and UTF-8 escapes in either case, `+`, `=` inside values,
// quotes and line terminators around ETags, non-ASCII literals — and, less often, malformed escapes.
const goodToken = fc.constantFrom(
  ...['a', 'Z', '0', '1', '9', '/', ':', '"', '.', 'x', '=', ' ', 'é', '\n', '\u2028', '+', '%20', '%2F'],
  ...['%2f', '%3A', '%3a', '%22', '%25', '%41', '%C3%A9', '%e2%82%ac', '%F0%9F%98%80', '%7F', '%0A'],
);
const badToken = fc.constantFrom('%E4%B8', '%', '%2', '%zz', '%C0%AF', '%ED%A0%80', '%80', '%g1');
const token = fc.oneof({ arbitrary: goodToken, weight: 30 }, { arbitrary: badToken, weight: 1 });
const text = fc.array(token, { maxLength: 6 }).map((tokens) => tokens.join(''));
const names = ['mimeType', 'uploadId', 'x:upload_id', 'x%3Aupload_id', 'x:a', 'x%3Ab', 'imageSize'];
names.push('imageInfo.height', 'imageInfo.width', 'imageInfo.format', 'crc64', 'contentMd5', 'clientIp');
names.push('reqId', 'operation', 'vpcId', '__proto__', '0', '', 'toString', 'x%3A%E2%82%AC', 'x:+a');
const required = ['bucket', 'object', 'etag', 'size'];
const knownName = fc.oneof({ arbitrary: fc.constantFrom(...names), weight: 4 }, fc.constantFrom(...required));
const numbers = ['0', '4096', '01', '-1', '1.5', '99999999999999999999', '9007199254740993', '20x10'];
// ETags: quotes are stripped only around a single line (`.` in /^"(.*)"$/ stops at line terminators).
const etags = [
  '"E"',
  '%22E%22',
  '"',
  '""',
  '"a"b"',
  '"a\nb"',
  '%22a%0Db%22',
  '"a\u2028b"',
  '%22a%E2%80%A9%22',
];
const value = fc.oneof(text, fc.constantFrom(...numbers, ...etags, ''));
const pair = fc.oneof(
  { arbitrary: fc.tuple(knownName, value).map(([n, v]) => `${n}=${v}`), weight: 6 },
  knownName,
  fc.tuple(text, value).map(([n, v]) => `${n}=${v}`),
  fc.constant(''),
);
const basicsWith = (etag: string) => [
  'bucket=b',
  'object=o%2Fk',
  `etag=${etag}`,
  'size=1',
  'x%3Aupload_id=u',
];
const basicEtag = fc.oneof(fc.constant('E'), fc.constantFrom(...etags), text);
const formBody = fc.oneof(
  fc.array(pair, { maxLength: 10 }).map((pairs) => pairs.join('&')),
  {
    arbitrary: fc
      .tuple(basicEtag.map(basicsWith), fc.nat(3), fc.array(pair, { maxLength: 8 }))
      .chain(([basics, all, extra]) =>
        // Usually every required member, sometimes all but one.
        fc.tuple(
          all === 0 ? fc.shuffledSubarray(basics, { minLength: 4 }) : fc.constant(basics),
          fc.constant(extra),
        ),
      )
      .chain(([base, extra]) =>
        fc.shuffledSubarray([...base, ...extra], { minLength: base.length + extra.length }),
      )
      .map((pairs) => pairs.join('&')),
    weight: 4,
  },
);

const jsonScalar = fc.oneof(
  fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s)),
  fc.constantFrom(...numbers.filter((n) => !/^0./.test(n)), '1e3', '-0', '18446744073709551615'),
  fc.constantFrom('true', 'false', 'null', '"20x10"', '"7"', '""'),
  fc.constantFrom('[]', '[1,"a"]', '{}', '{"__proto__":1,"a":{"b":2}}'),
);
const jsonName = fc.oneof(
  { arbitrary: fc.constantFrom(...names.filter((n) => !n.includes('%'))), weight: 4 },
  fc.constantFrom(...required),
  fc.string({ maxLength: 4 }),
);
const imageInfoChildren = fc.uniqueArray(
  fc.tuple(fc.constantFrom('height', 'width', 'format', 'x', '__proto__'), jsonScalar),
  { maxLength: 4, selector: ([n]) => n },
);
const jsonMember = fc.oneof(
  { arbitrary: fc.tuple(jsonName, jsonScalar), weight: 4 },
  imageInfoChildren.map((children) => {
    const members = children.map(([n, v]) => `"${n}":${v}`).join(',');
    return ['imageInfo', `{${members}}`] as const;
  }),
);
const fullHead = '{"bucket":"b","object":"o","etag":"E","size":1,"uploadId":"u"';
const jsonHead = fc.oneof(
  { arbitrary: fc.constant(fullHead), weight: 4 },
  fc.constantFrom('{', '{"size":"2"'),
);
const jsonBody = fc
  .tuple(
    jsonHead,
    fc.oneof(
      { arbitrary: fc.uniqueArray(jsonMember, { maxLength: 8, selector: ([n]) => n }), weight: 5 },
      fc.array(jsonMember, { maxLength: 8 }),
    ),
    fc.nat(9),
  )
  .map(([head, members, cut]) => {
    const tail = members.map(([n, v]) => `,${JSON.stringify(n)}:${v}`).join('');
    const whole = (head === '{' ? `{${tail.slice(1)}` : head + tail) + '}';
    return cut === 0 ? whole.slice(0, -1) : whole; // sometimes truncated
  });

describe('parseCallbackBody against the plain reference reading', () => {
  it('answers every form body as the reference does, refusals and member order included', () => {
    fc.assert(
      fc.property(formBody, (body) =>
        assertAgrees(Buffer.from(body, 'utf8'), 'application/x-www-form-urlencoded'),
      ),
      { numRuns: 3000 },
    );
  });

  it('answers every JSON body as the reference does, refusals and member order included', () => {
    fc.assert(
      fc.property(jsonBody, (body) => assertAgrees(Buffer.from(body, 'utf8'), 'application/json')),
      { numRuns: 2000 },
    );
  });

  it('answers arbitrary bytes (invalid UTF-8, a BOM) as the reference does', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      formBody.map((b) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(b, 'utf8')])),
    );
    fc.assert(
      fc.property(
        bytes,
        fc.constantFrom<CallbackBodyType>('application/json', 'application/x-www-form-urlencoded'),
        (b, t) => assertAgrees(b, t),
      ),
      { numRuns: 1000 },
    );
  });
});
