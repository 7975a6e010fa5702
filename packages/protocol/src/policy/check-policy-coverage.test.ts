import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkPolicyCoversFields, extraFieldMessage } from './check-policy-coverage.js';
import { parsePolicy } from './parse-policy.js';
import { base64Of, policyWith } from './policy-test-helpers.js';

const policyOf = (conditionsJson: string) => parsePolicy(base64Of(policyWith(conditionsJson)));

describe('checkPolicyCoversFields (--strict-post-policy, threats §C2.19)', () => {
  const policy = policyOf(
    '[{"bucket":"b"},["starts-with","$key","user/"],{"x-oss-meta-owner":"alice"},' +
      '["in","$Content-Type",["image/png"]],["content-length-range",0,10]]',
  );

  it('passes a form whose every field is named by a condition of any operator, in any case', () => {
    const fields = ['key', 'X-OSS-Meta-Owner', 'content-type'];
    assert.deepEqual(checkPolicyCoversFields(policy, fields), { ok: true });
  });

  it('exempts the signature fields, the policy, the file and x-ignore-* fields', () => {
    const fields = [
      'key',
      'policy',
      'OSSAccessKeyId',
      'Signature',
      'x-oss-signature',
      'file',
      'x-ignore-submit',
    ];
    assert.deepEqual(checkPolicyCoversFields(policy, fields), { ok: true });
  });

  it('refuses each unpinned field with 403 AccessDenied naming it', () => {
    for (const extra of [
      'x-oss-object-acl',
      'x-oss-meta-role',
      'success_action_redirect',
      'x:uid',
      'submit',
    ]) {
      const verdict = checkPolicyCoversFields(policy, ['key', extra]);
      assert.equal(verdict.ok, false, extra);
      if (verdict.ok) continue;
      assert.equal(verdict.error.code, 'AccessDenied');
      assert.equal(verdict.error.status, 403);
      assert.equal(
        verdict.error.message,
        `Invalid according to Policy: ${extraFieldMessage} Extra field: ${extra}.`,
      );
    }
  });

  it('does not count content-length-range as naming a field', () => {
    const verdict = checkPolicyCoversFields(policyOf('[["content-length-range",0,10]]'), ['key']);
    assert.equal(verdict.ok, false);
  });
});
