// Shared helpers for the policy tests (not part of the public API).
import assert from 'node:assert/strict';
import { OssError } from '../errors/oss-error.js';
import { parsePolicy } from './parse-policy.js';

export const base64Of = (json: string): string => Buffer.from(json, 'utf8').toString('base64');

export const validExpiration = '2030-01-01T00:00:00.000Z';

/** A policy JSON with the given conditions JSON text. */
export const policyWith = (conditionsJson: string, expirationJson = `"${validExpiration}"`): string =>
  `{"expiration":${expirationJson},"conditions":${conditionsJson}}`;

/** Asserts parsePolicy throws InvalidPolicyDocument (400) with `ec`; returns the error. */
export function assertInvalidPolicy(policyBase64: string, ec: string, message?: RegExp): OssError {
  try {
    parsePolicy(policyBase64);
  } catch (error) {
    assert.ok(error instanceof OssError, `not an OssError: ${String(error)}`);
    assert.equal(error.code, 'InvalidPolicyDocument');
    assert.equal(error.status, 400);
    assert.equal(error.ec, ec, error.message);
    assert.match(error.message, /^Invalid Policy: /);
    if (message) assert.match(error.message, message);
    return error;
  }
  assert.fail(`policy was accepted: ${Buffer.from(policyBase64, 'base64').toString('utf8').slice(0, 200)}`);
}
