import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Verdict } from '../errors/verdict.js';
import { checkV4PostDate } from './check-v4-post-date.js';

const xOssDate = '20231203T121212Z';
const dateMs = Date.UTC(2023, 11, 3, 12, 12, 12);
const minuteMs = 60_000;
const dayMs = 24 * 60 * minuteMs;

const check = (overrides: Partial<Parameters<typeof checkV4PostDate>[0]> = {}): Verdict =>
  checkV4PostDate({
    xOssDate,
    credentialDate: '20231203',
    policyXOssDate: xOssDate,
    nowMs: dateMs,
    ...overrides,
  });

function codeOf(verdict: Verdict): string | undefined {
  return verdict.ok ? undefined : verdict.error.code;
}

describe('checkV4PostDate', () => {
  it('accepts a consistent date at, shortly before and up to 7 days after x-oss-date', () => {
    for (const nowMs of [dateMs, dateMs - 15 * minuteMs, dateMs + 7 * dayMs]) {
      assert.deepEqual(check({ nowMs }), { ok: true });
    }
    assert.deepEqual(check({ policyXOssDate: undefined }), { ok: true });
  });

  it('rejects a malformed x-oss-date with InvalidArgument', () => {
    for (const bad of [
      '20231203T121212',
      '2023-12-03T12:12:12Z',
      '20231203121212Z',
      '20231232T000000Z',
      '20231203T246060Z',
      '',
    ]) {
      const verdict = check({ xOssDate: bad, policyXOssDate: undefined });
      assert.equal(codeOf(verdict), 'InvalidArgument', bad);
    }
  });

  it('rejects an x-oss-date on another day than the credential scope (threats §C1.6)', () => {
    const verdict = check({ credentialDate: '20231202' });
    assert.equal(codeOf(verdict), 'AccessDenied');
    assert.equal(!verdict.ok && verdict.error.status, 403);
  });

  it('rejects an x-oss-date that differs from the policy as a failed condition', () => {
    const verdict = check({ policyXOssDate: '20231203T121213Z' });
    assert.equal(codeOf(verdict), 'AccessDenied');
    assert.equal(!verdict.ok && verdict.error.ec, '0006-00000227');
    assert.equal(
      !verdict.ok && verdict.error.message,
      'Invalid according to Policy: Policy Condition failed: ["eq", "$x-oss-date", "20231203T121213Z"]',
    );
  });

  it('rejects an x-oss-date more than 15 minutes in the future with RequestTimeTooSkewed', () => {
    const verdict = check({ nowMs: dateMs - 15 * minuteMs - 1 });
    assert.equal(codeOf(verdict), 'RequestTimeTooSkewed');
    assert.equal(!verdict.ok && verdict.error.ec, '0002-00000504');
    assert.deepEqual(!verdict.ok && verdict.error.extra[0], ['MaxAllowedSkewMilliseconds', '900000']);
  });

  it('rejects an x-oss-date older than 7 days as expired', () => {
    const verdict = check({ nowMs: dateMs + 7 * dayMs + 1 });
    assert.equal(codeOf(verdict), 'AccessDenied');
    assert.equal(!verdict.ok && verdict.error.message, 'Request has expired.');
  });
});
