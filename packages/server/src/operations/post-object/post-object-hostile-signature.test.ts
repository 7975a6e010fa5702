// Threats §C1 (policy and signature) against PostObject.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { signPostPolicyV1 } from '@upcall/protocol';
import { openHostileFixture, type Fields, type HostileFixture } from './testing/hostile-fixture.js';
import { readErrorMessage, signPolicyFields } from './testing/post-form-client.js';
import {
  fixedNowMs,
  testAccessKeyId,
  testAccessKeySecret,
  testBucket,
} from './testing/post-object-test-server.js';
import { buildFormParts, buildMultipartBody } from './testing/build-multipart-body.js';
import { sendForm } from './testing/post-form-client.js';

function replaceField(fields: Fields, name: string, value: string | undefined): Fields {
  const out = fields.filter(([n]) => n !== name);
  return value === undefined ? out : [...out, [name, value]];
}

function fieldOf(fields: Fields, name: string): string {
  const found = fields.find(([n]) => n === name);
  assert.ok(found, name);
  return found[1];
}

/** A V1 form over an arbitrary policy text, correctly signed (so the policy parser is reached). */
function signedRawPolicy(policyBase64: string): Fields {
  return [
    ['OSSAccessKeyId', testAccessKeyId],
    ['policy', policyBase64],
    ['Signature', signPostPolicyV1(policyBase64, testAccessKeySecret)],
  ];
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

describe('PostObject hostile inputs: signatures and policies', () => {
  let fx: HostileFixture;
  before(async () => {
    fx = await openHostileFixture();
  });
  after(() => fx.close());

  it('refuses a V1 signature off by one character with 403 SignatureDoesNotMatch', async () => {
    const fields = fx.signed();
    const signature = fieldOf(fields, 'Signature');
    const tampered = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
    const res = await fx.post([['key', 'c1/1'], ...replaceField(fields, 'Signature', tampered)]);
    await fx.expectRefused(res, 403, 'SignatureDoesNotMatch', 'c1/1');
  });

  it('refuses a V4 signature of the wrong length and one that is not hex with 403', async () => {
    for (const bad of ['abc', 'Z'.repeat(64)]) {
      const res = await fx.post([
        ['key', 'c1/2'],
        ...replaceField(fx.signed([], 'v4'), 'x-oss-signature', bad),
      ]);
      await fx.expectRefused(res, 403, 'SignatureDoesNotMatch', 'c1/2');
    }
  });

  it('refuses an empty or missing Signature with 400 InvalidArgument (auth trio incomplete)', async () => {
    const empty = await fx.post([['key', 'c1/3'], ...replaceField(fx.signed(), 'Signature', '')]);
    await fx.expectRefused(empty, 400, 'InvalidArgument', 'c1/3');
    assert.match(empty.text, /<EC>0002-00000704<\/EC>/);
    const missing = await fx.post([['key', 'c1/3'], ...replaceField(fx.signed(), 'Signature', undefined)]);
    await fx.expectRefused(missing, 400, 'InvalidArgument', 'c1/3');
    assert.match(missing.text, /<EC>0002-00000703<\/EC>/);
    const noPolicy = await fx.post([['key', 'c1/3'], ...replaceField(fx.signed(), 'policy', undefined)]);
    await fx.expectRefused(noPolicy, 400, 'InvalidArgument', 'c1/3');
    assert.match(noPolicy.text, /<EC>0002-00000702<\/EC>/);
    const onlyPolicy = await fx.post([
      ['key', 'c1/3'],
      ['policy', fieldOf(fx.signed(), 'policy')],
    ]);
    await fx.expectRefused(onlyPolicy, 400, 'InvalidArgument', 'c1/3');
  });

  it('refuses a policy changed by one byte or re-encoded with URL-safe letters with 403', async () => {
    const fields = fx.signed([['starts-with', '$key', 'c1/']]);
    const policy = fieldOf(fields, 'policy');
    const changed = policy.slice(0, 10) + (policy[10] === 'a' ? 'b' : 'a') + policy.slice(11);
    const res = await fx.post([['key', 'c1/4'], ...replaceField(fields, 'policy', changed)]);
    await fx.expectRefused(res, 403, 'SignatureDoesNotMatch', 'c1/4');
    const urlSafe = await fx.post([
      ['key', 'c1/4'],
      ...replaceField(fields, 'policy', policy.replaceAll('+', '-').replaceAll('/', '_') + '='),
    ]);
    await fx.expectRefused(urlSafe, 403, 'SignatureDoesNotMatch', 'c1/4');
  });

  it('refuses an unknown AccessKeyId with 403 InvalidAccessKeyId', async () => {
    const res = await fx.post([['key', 'c1/5'], ...replaceField(fx.signed(), 'OSSAccessKeyId', 'NOSUCHKEY')]);
    await fx.expectRefused(res, 403, 'InvalidAccessKeyId', 'c1/5');
  });

  it('refuses V1 and V4 fields together, and a form with an Authorization header, with 400', async () => {
    const both = await fx.post([
      ['key', 'c1/6'],
      ...fx.signed(),
      ...fx.signed([], 'v4').filter(([n]) => n !== 'policy'),
    ]);
    await fx.expectRefused(both, 400, 'InvalidArgument', 'c1/6');
    const { body, contentType } = buildMultipartBody(
      buildFormParts([['key', 'c1/6'], ...fx.signed()], { content: 'x' }),
    );
    const withHeader = await sendForm({
      port: fx.server.port,
      bucket: testBucket,
      body,
      contentType,
      headers: { authorization: `OSS ${testAccessKeyId}:abc` },
    });
    await fx.expectRefused(withHeader, 400, 'InvalidArgument', 'c1/6');
  });

  it('refuses a V4 credential whose date differs from x-oss-date, or a wrong region, with 403', async () => {
    const v4 = fx.signed([], 'v4');
    const credential = fieldOf(v4, 'x-oss-credential');
    const otherDay = await fx.post([['key', 'c1/7'], ...replaceField(v4, 'x-oss-date', '20250103T030405Z')]);
    await fx.expectRefused(otherDay, 403, 'AccessDenied', 'c1/7');
    const otherRegion = await fx.post([
      ['key', 'c1/7'],
      ...replaceField(v4, 'x-oss-credential', credential.replace('cn-hangzhou', 'cn-beijing')),
    ]);
    await fx.expectRefused(otherRegion, 403, 'SignatureDoesNotMatch', 'c1/7');
    const malformed = await fx.post([
      ['key', 'c1/7'],
      ...replaceField(v4, 'x-oss-credential', 'AK/20250102/cn-hangzhou/s3/x'),
    ]);
    await fx.expectRefused(malformed, 400, 'InvalidArgument', 'c1/7');
  });

  it('refuses an expired policy, including one expiring exactly now, with 403 "Policy expired."', async () => {
    for (const offsetMs of [-1000, 0]) {
      const fields = signPolicyFields({
        version: 'v1',
        accessKeyId: testAccessKeyId,
        secret: testAccessKeySecret,
        nowMs: fixedNowMs,
        expiration: new Date(fixedNowMs + offsetMs),
        conditions: [{ bucket: testBucket }],
      });
      const res = await fx.post([['key', 'c1/8'], ...fields]);
      await fx.expectRefused(res, 403, 'AccessDenied', 'c1/8');
      assert.equal(readErrorMessage(res.text), 'Invalid according to Policy: Policy expired.');
    }
  });

  it('refuses signed policies that are not base64, not JSON, badly shaped or with duplicate keys with 400', async () => {
    const expiration = '"expiration":"2025-01-02T04:00:00.000Z"';
    const bad = [
      '%%%not-base64%%%',
      b64('not json'),
      b64('[]'),
      b64(`{${expiration}}`),
      b64(`{${expiration},"conditions":[]}`),
      b64(`{${expiration},"conditions":[123]}`),
      b64(`{${expiration},"conditions":[{"a":"1","b":"2"}]}`),
      b64(`{${expiration},"conditions":[["starts-with","$key"]]}`),
      b64(`{${expiration},"conditions":[["content-length-range",10,5]]}`),
      b64(`{${expiration},"conditions":[{"bucket":"uploads"}],"conditions":[]}`),
      b64(`{"expiration":"2025-01-02 04:00:00","conditions":[{"bucket":"uploads"}]}`),
    ];
    for (const policy of bad) {
      const res = await fx.post([['key', 'c1/9'], ...signedRawPolicy(policy)]);
      await fx.expectRefused(res, 400, 'InvalidPolicyDocument', 'c1/9');
    }
  });

  it('refuses a policy pinned to another bucket with 403 AccessDenied', async () => {
    const fields = signPolicyFields({
      version: 'v1',
      accessKeyId: testAccessKeyId,
      secret: testAccessKeySecret,
      nowMs: fixedNowMs,
      conditions: [{ bucket: 'other' }],
    });
    const res = await fx.post([['key', 'c1/12'], ...fields]);
    await fx.expectRefused(res, 403, 'AccessDenied', 'c1/12');
    assert.equal(
      readErrorMessage(res.text),
      'Invalid according to Policy: Policy Condition failed: [&quot;eq&quot;, &quot;$bucket&quot;, &quot;other&quot;]',
    );
  });
});
