import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRamPolicy } from './parse-ram-policy.js';
import { isStsError } from './sts-error.js';

function assertGrammarError(text: string): void {
  assert.throws(
    () => parseRamPolicy(text),
    (error) => isStsError(error) && error.code === 'InvalidParameter.PolicyGrammar',
    text,
  );
}

describe('parseRamPolicy', () => {
  it('reads string and array forms of Action and Resource, NotAction, and conditions', () => {
    const policy = parseRamPolicy(
      JSON.stringify({
        Version: '1',
        Statement: [
          { Effect: 'Allow', Action: 'oss:GetObject', Resource: ['acs:oss:*:*:b/*'] },
          {
            Effect: 'Deny',
            NotAction: ['oss:Get*'],
            Resource: '*',
            Condition: { StringLike: { 'oss:Prefix': ['a/*'] } },
          },
        ],
      }),
    );
    assert.deepEqual(policy.statements[0]?.actions, ['oss:GetObject']);
    assert.equal(policy.statements[1]?.actionsNegated, true);
    assert.deepEqual(policy.statements[1]?.conditions, [
      { operator: 'StringLike', key: 'oss:Prefix', values: ['a/*'] },
    ]);
  });

  it('rejects documents that are not the RAM grammar', () => {
    for (const text of [
      'not json',
      '[]',
      '{"Version":"2","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
      '{"Version":"1","Statement":[]}',
      '{"Version":"1","Statement":[{"Effect":"allow","Action":"*","Resource":"*"}]}',
      '{"Version":"1","Statement":[{"Effect":"Allow","Resource":"*"}]}',
      '{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","NotAction":"x","Resource":"*"}]}',
      '{"Version":"1","Statement":[{"Effect":"Allow","Action":[],"Resource":"*"}]}',
      '{"Version":"1","Statement":[{"Effect":"Allow","Action":[1],"Resource":"*"}]}',
      '{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Principal":"*"}]}',
      '{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}],"Extra":1}',
    ]) {
      assertGrammarError(text);
    }
  });

  it('rejects duplicate keys, which JSON.parse would silently resolve to the last one', () => {
    assertGrammarError(
      '{"Version":"1","Statement":[{"Effect":"Deny","Effect":"Allow","Action":"*","Resource":"*"}]}',
    );
  });

  it('rejects a policy longer than 2048 characters', () => {
    const resources = Array.from({ length: 100 }, (_, i) => `acs:oss:*:*:bucket/${'x'.repeat(10)}${i}*`);
    assertGrammarError(
      JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: '*', Resource: resources }] }),
    );
  });
});
