import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseStrictJson, StrictJsonError, type JsonNode } from './strict-json.js';

const parse = (text: string, maxDepth = 8): JsonNode => parseStrictJson(text, { maxDepth });

function failure(text: string, maxDepth = 8): StrictJsonError {
  try {
    parse(text, maxDepth);
  } catch (error) {
    assert.ok(error instanceof StrictJsonError);
    return error;
  }
  assert.fail(`expected ${JSON.stringify(text)} to be rejected`);
}

/** Converts a node tree to plain JS so it can be compared with JSON.parse. */
function toPlain(node: JsonNode): unknown {
  switch (node.type) {
    case 'string':
    case 'boolean':
      return node.value;
    case 'number':
      return Number(node.text);
    case 'null':
      return null;
    case 'array':
      return node.items.map(toPlain);
    case 'object':
      return Object.fromEntries([...node.members].map(([k, v]) => [k, toPlain(v)]));
  }
}

describe('parseStrictJson', () => {
  it('agrees with JSON.parse on valid documents', () => {
    const texts = [
      '{"a":[1,-2.5e3,true,false,null,"x\\u00e9\\n\\/\\"\\\\"],"b":{}}',
      ' [ ] ',
      '"\\ud83d\\ude00"',
      '{"k" : { "n" : [ [ ] ] } }',
    ];
    for (const text of texts) assert.deepEqual(toPlain(parse(text)), JSON.parse(text));
  });

  it('keeps number text verbatim', () => {
    assert.deepEqual(parse('[1.0,1e3]'), {
      type: 'array',
      items: [
        { type: 'number', text: '1.0' },
        { type: 'number', text: '1e3' },
      ],
    });
  });

  it('rejects a duplicate key at the top level', () => {
    const error = failure('{"expiration":"x","conditions":[1],"conditions":[]}');
    assert.equal(error.failure, 'duplicate-key');
    assert.match(error.message, /duplicate key "conditions"/);
  });

  it('rejects a duplicate key written with a different escape', () => {
    assert.equal(failure('{"a":{"key":1,"\\u006bey":2}}').failure, 'duplicate-key');
  });

  it('treats __proto__ as an ordinary key', () => {
    const node = parse('{"__proto__":"x"}');
    assert.equal(node.type === 'object' && node.members.get('__proto__')?.type, 'string');
  });

  it('rejects nesting deeper than the limit before descending further', () => {
    assert.doesNotThrow(() => parse('[[[[]]]]', 4));
    assert.equal(failure('[[[[[]]]]]', 4).failure, 'too-deep');
    const hostile = '['.repeat(1_000_000);
    assert.equal(failure(hostile, 4).failure, 'too-deep');
  });

  it('reports OSS-style syntax messages', () => {
    assert.equal(failure('{expiration:1}').message, 'Invalid JSON: unknown char e');
    assert.equal(failure('[1 2]').message, 'Invalid JSON: , or ] expected');
    assert.equal(failure('{"a":1 "b":2}').message, 'Invalid JSON: , or } expected');
    assert.equal(failure('{"a" 1}').message, 'Invalid JSON: : expected');
  });

  it('rejects what RFC 8259 forbids', () => {
    const bad = [
      '',
      '[1,]',
      '{"a":1,}',
      '01',
      '+1',
      '.5',
      '1.',
      "'a'",
      '"a\tb"',
      '"\\x41"',
      '"\\u12"',
      '"abc',
      'tru',
      'NaN',
      '[1] x',
      '\ufeff{}',
      '{"a":1}/*c*/',
    ];
    for (const text of bad) assert.equal(failure(text).failure, 'syntax', JSON.stringify(text));
  });
});
