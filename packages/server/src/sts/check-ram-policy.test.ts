import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkRamPolicies, checkRamPolicy, matchWildcard, type RamRequest } from './check-ram-policy.js';
import { parseRamPolicy } from './parse-ram-policy.js';

const put = (resource: string): RamRequest => ({
  action: 'oss:PutObject',
  resource: `acs:oss:*:*:${resource}`,
});

function policy(statements: object[]): ReturnType<typeof parseRamPolicy> {
  return parseRamPolicy(JSON.stringify({ Version: '1', Statement: statements }));
}

const userPolicy = policy([
  { Effect: 'Allow', Action: ['oss:PutObject', 'oss:GetObject'], Resource: 'acs:oss:*:*:uploads/users/42/*' },
]);

describe('matchWildcard', () => {
  it('matches * as any run and ? as one character, anchored at both ends', () => {
    assert.equal(matchWildcard('users/42/*', 'users/42/a/b.txt'), true);
    assert.equal(matchWildcard('users/42/*', 'users/420/a'), false);
    assert.equal(matchWildcard('a?c', 'abc'), true);
    assert.equal(matchWildcard('a?c', 'ac'), false);
    assert.equal(matchWildcard('*.jpg', 'x.jpg.exe'), false);
    assert.equal(matchWildcard('a*b*c', 'aXXbYYc'), true);
  });
});

describe('checkRamPolicy', () => {
  it('allows granted actions inside the prefix and nothing else', () => {
    assert.equal(checkRamPolicy(userPolicy, put('uploads/users/42/a.bin')), 'allow');
    assert.equal(checkRamPolicy(userPolicy, put('uploads/users/43/a.bin')), 'implicit-deny');
    assert.equal(checkRamPolicy(userPolicy, put('other/users/42/a.bin')), 'implicit-deny');
    const del = { action: 'oss:DeleteObject', resource: 'acs:oss:*:*:uploads/users/42/a.bin' };
    assert.equal(checkRamPolicy(userPolicy, del), 'implicit-deny');
  });

  it('matches action names case-insensitively and resources case-sensitively', () => {
    const p = policy([{ Effect: 'Allow', Action: 'OSS:put*', Resource: 'acs:oss:*:*:b/Users/*' }]);
    assert.equal(checkRamPolicy(p, put('b/Users/x')), 'allow');
    assert.equal(checkRamPolicy(p, put('b/users/x')), 'implicit-deny');
  });

  it('lets an explicit Deny win over an Allow', () => {
    const p = policy([
      { Effect: 'Allow', Action: 'oss:*', Resource: '*' },
      { Effect: 'Deny', Action: 'oss:PutObject', Resource: 'acs:oss:*:*:uploads/private/*' },
    ]);
    assert.equal(checkRamPolicy(p, put('uploads/public/a')), 'allow');
    assert.equal(checkRamPolicy(p, put('uploads/private/a')), 'explicit-deny');
  });

  it('ignores region and account but not the service of a resource pattern', () => {
    const cloud = policy([
      { Effect: 'Allow', Action: 'oss:*', Resource: 'acs:oss:oss-cn-hangzhou:1234567890:b/*' },
    ]);
    assert.equal(checkRamPolicy(cloud, put('b/x')), 'allow');
    const ecs = policy([{ Effect: 'Allow', Action: '*', Resource: 'acs:ecs:*:*:b/*' }]);
    assert.equal(checkRamPolicy(ecs, put('b/x')), 'implicit-deny');
  });

  it('applies NotAction and NotResource as complements', () => {
    const p = policy([{ Effect: 'Allow', NotAction: 'oss:Delete*', NotResource: 'acs:oss:*:*:b/secret/*' }]);
    assert.equal(checkRamPolicy(p, put('b/x')), 'allow');
    assert.equal(checkRamPolicy(p, put('b/secret/x')), 'implicit-deny');
    assert.equal(
      checkRamPolicy(p, { action: 'oss:DeleteObject', resource: 'acs:oss:*:*:b/x' }),
      'implicit-deny',
    );
  });

  it('evaluates oss:Prefix conditions on listings', () => {
    const p = policy([
      {
        Effect: 'Allow',
        Action: 'oss:ListObjects',
        Resource: 'acs:oss:*:*:b',
        Condition: { StringLike: { 'oss:Prefix': 'users/42/*' } },
      },
    ]);
    const list = (prefix: string): RamRequest => ({
      action: 'oss:ListObjects',
      resource: 'acs:oss:*:*:b',
      context: new Map([['oss:prefix', prefix]]),
    });
    assert.equal(checkRamPolicy(p, list('users/42/photos/')), 'allow');
    assert.equal(checkRamPolicy(p, list('users/')), 'implicit-deny');
    assert.equal(
      checkRamPolicy(p, { action: 'oss:ListObjects', resource: 'acs:oss:*:*:b' }),
      'implicit-deny',
    );
  });

  it('fails closed on a condition operator it cannot evaluate', () => {
    const allow = policy([
      {
        Effect: 'Allow',
        Action: '*',
        Resource: '*',
        Condition: { IpAddress: { 'acs:SourceIp': '10.0.0.0/8' } },
      },
    ]);
    assert.equal(checkRamPolicy(allow, put('b/x')), 'implicit-deny');
    const deny = policy([
      { Effect: 'Allow', Action: '*', Resource: '*' },
      {
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { IpAddress: { 'acs:SourceIp': '10.0.0.0/8' } },
      },
    ]);
    assert.equal(checkRamPolicy(deny, put('b/x')), 'explicit-deny');
  });
});

describe('checkRamPolicies (intersection)', () => {
  it('needs every policy to allow, so a second wider policy cannot widen the first', () => {
    const wide = policy([{ Effect: 'Allow', Action: '*', Resource: '*' }]);
    assert.equal(checkRamPolicies([userPolicy, wide], put('uploads/users/43/a')), 'implicit-deny');
    assert.equal(checkRamPolicies([userPolicy, wide], put('uploads/users/42/a')), 'allow');
  });

  it('denies when there is no policy at all', () => {
    assert.equal(checkRamPolicies([], put('b/x')), 'implicit-deny');
  });
});
