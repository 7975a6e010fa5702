// Property-based fuzzing of the callback body renderer (oss-protocol §8.4, §8.5; threats §B12, §C5.48):
// whatever the object key, MIME type or `x:` values contain, a JSON body parses to exactly the template's
// members with the literal values, and a form body decodes (with `+` or `%20` for space) to exactly the
// template's pairs. JSON keeps even lone surrogates exactly (they travel as `\uXXXX` escapes); form values
// are compared after UTF-8 encoding (a lone surrogate becomes U+FFFD on the wire).
// Seeded (FC_SEED / FC_RUNS override).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseCallbackParam } from './parse-callback-param.js';
import { callbackSystemVarNames, type CallbackBodyType } from './callback-wire-names.js';
import { renderCallbackBody, type CallbackSystemVars } from './render-callback-body.js';

const runs = (defaultRuns: number): fc.Parameters<unknown> => ({
  numRuns: Number(process.env['FC_RUNS'] ?? defaultRuns),
  seed: Number(process.env['FC_SEED'] ?? 0x5eed),
});

/** Every character class: JSON and form metacharacters, controls, separators, astral, lone surrogates. */
const hostileChar = fc.oneof(
  fc.constantFrom('"', '\\', '/', '&', '=', '+', '%', '%20', '%zz', ' ', '?', '#', ';', ',', ':', '{', '}'),
  fc.constantFrom(
    '\u0000',
    '\b',
    '\n',
    '\r',
    '\t',
    '\u001f',
    '\u007f',
    '\u0085',
    '\u2028',
    '\u2029',
    '\ufeff',
  ),
  fc.constantFrom(
    'é',
    '中',
    '😀',
    '\ud800',
    '\udbff',
    '\udc00',
    '","size":0,"x:role":"admin',
    'a&size=0&x:role=admin',
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
);
const hostileString = fc.array(hostileChar, { maxLength: 12 }).map((parts) => parts.join(''));
/** Template literal text cannot hold `$` (it would open a variable, §8.4). */
const literalString = hostileString.map((text) => text.replaceAll('$', ''));

/** What the wire carries for a string: its UTF-8 encoding, decoded again. */
const onWire = (text: string): string => Buffer.from(text, 'utf8').toString('utf8');

const systemVars = fc.record({
  bucket: hostileString,
  object: hostileString,
  etag: hostileString,
  size: fc.oneof(fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER)),
  mimeType: hostileString,
  imageInfo: fc.record({ height: fc.nat(), width: fc.nat(), format: hostileString }),
  crc64: hostileString,
  contentMd5: hostileString,
  vpcId: hostileString,
  clientIp: hostileString,
  reqId: hostileString,
  operation: hostileString,
}) as fc.Arbitrary<CallbackSystemVars>;

/** Custom variable names: anything but `$`, `{`, `}` (which end or nest the reference). */
const customName = fc
  .array(hostileChar, { minLength: 1, maxLength: 4 })
  .map((parts) => `x:${parts.join('').replace(/[${}]/g, '')}`)
  .filter((name) => name.length > 2);
const customVars = fc.dictionary(customName, hostileString, { maxKeys: 4 });

const numericVars = new Set(['size', 'imageInfo.width', 'imageInfo.height']);

function valueOf(name: string, system: CallbackSystemVars, custom: Record<string, string>): string | number {
  if (name === 'imageInfo.width') return system.imageInfo!.width;
  if (name === 'imageInfo.height') return system.imageInfo!.height;
  if (name === 'imageInfo.format') return system.imageInfo!.format;
  if (name.startsWith('x:')) return Object.hasOwn(custom, name) ? custom[name]! : '';
  return system[name as keyof CallbackSystemVars] as string | number;
}

function configFor(callbackBody: string, callbackBodyType: CallbackBodyType) {
  const json = JSON.stringify({ callbackUrl: 'http://127.0.0.1:9/cb', callbackBody, callbackBodyType });
  return parseCallbackParam(Buffer.from(json, 'utf8').toString('base64'), { maxBytes: 1 << 20 });
}

/** One member's value in the template: a bare variable, a variable inside a string, or a literal. */
type MemberValue =
  | { kind: 'bare'; variable: string }
  | { kind: 'inString'; before: string; variable: string; after: string }
  | { kind: 'literal'; value: string };

const variableName = (customNames: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(...callbackSystemVarNames),
    customNames.length > 0 ? fc.constantFrom(...customNames) : customName,
  );

const member = (customNames: readonly string[]): fc.Arbitrary<MemberValue> =>
  fc.oneof(
    fc.record({ kind: fc.constant('bare' as const), variable: variableName(customNames) }),
    fc.record({
      kind: fc.constant('inString' as const),
      before: literalString,
      variable: variableName(customNames),
      after: literalString,
    }),
    fc.record({ kind: fc.constant('literal' as const), value: literalString }),
  );

const jsonScenario = customVars.chain((custom) =>
  fc.record({
    system: systemVars,
    custom: fc.constant(custom),
    members: fc.uniqueArray(fc.tuple(literalString, member(Object.keys(custom))), {
      maxLength: 8,
      selector: ([name]) => name,
    }),
    space: fc.constantFrom('', ' ', '\n\t'),
  }),
);

/** A JSON text with every literal escaped by JSON.stringify — which never produces `$`. */
const quote = (text: string): string => JSON.stringify(text);
const quoteInside = (text: string): string => quote(text).slice(1, -1);

function jsonTemplate(members: ReadonlyArray<readonly [string, MemberValue]>, space: string): string {
  const rendered = members.map(([name, m]) => {
    const value =
      m.kind === 'bare'
        ? `\${${m.variable}}`
        : m.kind === 'inString'
          ? `"${quoteInside(m.before)}\${${m.variable}}${quoteInside(m.after)}"`
          : quote(m.value);
    return `${space}${quote(name)}${space}:${space}${value}`;
  });
  return `{${rendered.join(',')}${space}}`;
}

function expectedMember(m: MemberValue, system: CallbackSystemVars, custom: Record<string, string>): unknown {
  if (m.kind === 'literal') return m.value;
  const value = valueOf(m.variable, system, custom);
  if (m.kind === 'bare') return numericVars.has(m.variable) ? value : String(value);
  return m.before + String(value) + m.after;
}

describe('renderCallbackBody for JSON bodies (threats §C5.48)', () => {
  it('always yields JSON with exactly the template members and the literal substituted values', () => {
    fc.assert(
      fc.property(jsonScenario, ({ system, custom, members, space }) => {
        const config = configFor(jsonTemplate(members, space), 'application/json');
        const text = renderCallbackBody(config, { system, custom }).toString('utf8');
        const parsed = JSON.parse(text) as Record<string, unknown>;
        // Compared as maps: JavaScript enumerates integer-like member names ("0") first whatever their
        // position in the text, so entry order says nothing about the renderer (seed 20261126).
        assert.deepEqual(
          new Map(Object.entries(parsed)),
          new Map(members.map(([name, m]) => [name, expectedMember(m, system, custom)])),
        );
      }),
      runs(400),
    );
  });
});

/** Template literals are written the way the renderer writes values, so the whole body stays unreserved. */
const encodeRfc3986 = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);

const formName = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,8}$/);

const formScenario = customVars.chain((custom) =>
  fc.record({
    system: systemVars,
    custom: fc.constant(custom),
    pairs: fc.uniqueArray(
      fc.tuple(
        formName,
        fc.oneof(
          variableName(Object.keys(custom)).map((variable) => ({ variable })),
          literalString.map((literal) => ({ literal })),
        ),
      ),
      { maxLength: 8, selector: ([name]) => name },
    ),
  }),
);

describe('renderCallbackBody for form bodies (threats §C5.48)', () => {
  it('decodes to exactly the template pairs and literal values, with `+` or `%20` for space', () => {
    fc.assert(
      fc.property(formScenario, ({ system, custom, pairs }) => {
        fc.pre(pairs.length > 0);
        const template = pairs
          .map(([name, part]) =>
            'variable' in part
              ? `${name}=\${${part.variable}}`
              : `${name}=${encodeRfc3986(onWire(part.literal))}`,
          )
          .join('&');
        const text = renderCallbackBody(configFor(template, 'application/x-www-form-urlencoded'), {
          system,
          custom,
        }).toString('utf8');
        const expected = pairs.map(([name, part]) => [
          name,
          'variable' in part ? onWire(String(valueOf(part.variable, system, custom))) : onWire(part.literal),
        ]);
        // Absent image values are documented as empty (§8.4); here imageInfo is always present.
        assert.deepEqual([...new URLSearchParams(text)], expected);
        const plusDecoded = text.split('&').map((pair) => {
          const [name = '', value = ''] = pair.split('=');
          return [name, decodeURIComponent(value.replaceAll('+', ' '))];
        });
        assert.deepEqual(plusDecoded, expected);
        assert.doesNotMatch(text, /[^A-Za-z0-9_.:~%&=-]/, 'only unreserved characters and escapes');
      }),
      runs(400),
    );
  });
});
