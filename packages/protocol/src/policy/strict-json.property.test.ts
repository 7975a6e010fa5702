// Differential fuzzing of the duplicate-aware JSON parser that guards signed policies (threats §B7.1,
// §C1.10) against JSON.parse: it must accept exactly JSON.parse's language minus duplicate keys and
// excess depth, give the same values, and fail only with StrictJsonError. Seeded (FC_SEED / FC_RUNS).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseStrictJson, StrictJsonError, type JsonNode } from './strict-json.js';

const runs = (defaultRuns: number): fc.Parameters<unknown> => ({
  numRuns: Number(process.env['FC_RUNS'] ?? defaultRuns),
  seed: Number(process.env['FC_SEED'] ?? 0x5eed),
});

const maxDepth = 6;

/** The node as a plain value, members defined as own properties (so `__proto__` stays a member). */
function toPlain(node: JsonNode): unknown {
  switch (node.type) {
    case 'string':
    case 'boolean':
      return node.value;
    case 'null':
      return null;
    case 'number':
      return Number(node.text);
    case 'array':
      return node.items.map(toPlain);
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [name, child] of node.members) {
        Object.defineProperty(out, name, {
          value: toPlain(child),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
  }
}

function tryStrict(text: string): { ok: true; value: unknown } | { ok: false; error: StrictJsonError } {
  try {
    return { ok: true, value: toPlain(parseStrictJson(text, { maxDepth })) };
  } catch (error) {
    assert.ok(error instanceof StrictJsonError, `not a StrictJsonError: ${String(error)}`);
    return { ok: false, error };
  }
}

const jsonChar = fc.oneof(
  fc.constantFrom('{', '}', '[', ']', '"', ':', ',', ' ', '\n', '\\', 'u', '0', '1', '-', '.', 'e', '+'),
  fc.constantFrom('t', 'true', 'false', 'null', '"a"', '\\u00', '\\ud800', '\ufeff', '\u00a0', '\u0000'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);

describe('parseStrictJson agrees with JSON.parse (threats §B7.1)', () => {
  it('accepts only texts JSON.parse accepts, with the same value, and throws only StrictJsonError', () => {
    fc.assert(
      fc.property(fc.array(jsonChar, { maxLength: 30 }), (chars) => {
        const text = chars.join('');
        const strict = tryStrict(text);
        if (strict.ok) assert.deepEqual(strict.value, JSON.parse(text));
      }),
      runs(1000),
    );
  });

  it('parses every serialised JSON value within the depth bound to the same value', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: maxDepth - 1 }),
        fc.constantFrom(undefined, 0, 1, '\t', ' \r\n'),
        (value, space) => {
          const text = JSON.stringify(value, null, space);
          const strict = tryStrict(text);
          assert.ok(strict.ok, text);
          assert.deepEqual(strict.value, JSON.parse(text));
        },
      ),
      runs(500),
    );
  });

  it('refuses a repeated member name at any level instead of keeping the last one', () => {
    const object = fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), {
      minKeys: 1,
      maxKeys: 5,
    });
    fc.assert(
      fc.property(
        object,
        fc.nat(),
        fc.jsonValue({ maxDepth: 1 }),
        fc.nat({ max: 2 }),
        (members, pick, extra, nest) => {
          const names = Object.keys(members);
          const repeated = names[pick % names.length]!;
          let text = JSON.stringify(members).replace(
            /\}$/,
            `,${JSON.stringify(repeated)}:${JSON.stringify(extra)}}`,
          );
          for (let i = 0; i < nest; i++) text = `[${text}]`;
          const strict = tryStrict(text);
          assert.equal(strict.ok, false);
          if (!strict.ok) assert.equal(strict.error.failure, 'duplicate-key');
        },
      ),
      runs(500),
    );
  });

  it('refuses nesting deeper than the bound without recursing into it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: maxDepth + 1, max: 100_000 }),
        fc.constantFrom('[', '{"a":'),
        (depth, open) => {
          const strict = tryStrict(open.repeat(depth));
          assert.equal(strict.ok, false);
          if (!strict.ok) assert.equal(strict.error.failure, 'too-deep');
        },
      ),
      runs(50),
    );
  });
});
