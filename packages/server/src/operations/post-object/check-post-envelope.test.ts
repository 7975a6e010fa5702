import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OssError } from '@upcall/protocol';
import { checkPostEnvelope } from './check-post-envelope.js';

function codeOf(headers: Record<string, string>): string | undefined {
  try {
    checkPostEnvelope(headers);
    return undefined;
  } catch (error) {
    return error instanceof OssError ? error.code : 'not-an-oss-error';
  }
}

describe('checkPostEnvelope', () => {
  it('accepts multipart/form-data with a valid boundary, quoted or not, in any case', () => {
    assert.equal(codeOf({ 'content-type': 'multipart/form-data; boundary=abc' }), undefined);
    assert.equal(
      codeOf({ 'content-type': 'Multipart/Form-Data; charset=utf-8; BOUNDARY="a b:c"' }),
      undefined,
    );
  });

  it('refuses other media types with RequestIsNotMultiPartContent', () => {
    for (const type of ['text/plain', 'multipart/mixed; boundary=a', '', 'application/json']) {
      assert.equal(codeOf({ 'content-type': type }), 'RequestIsNotMultiPartContent', type);
    }
    assert.equal(codeOf({}), 'RequestIsNotMultiPartContent');
  });

  it('refuses a missing, empty, over-long or ill-formed boundary with MalformedPOSTRequest', () => {
    for (const type of [
      'multipart/form-data',
      'multipart/form-data; boundary=',
      `multipart/form-data; boundary=${'x'.repeat(71)}`,
      'multipart/form-data; boundary="ends with space "',
      'multipart/form-data; boundary=a\u0001b',
    ]) {
      assert.equal(codeOf({ 'content-type': type }), 'MalformedPOSTRequest', type);
    }
  });

  it('refuses an Authorization header: PostObject authenticates by form fields only', () => {
    assert.equal(
      codeOf({ 'content-type': 'multipart/form-data; boundary=a', authorization: 'OSS a:b' }),
      'InvalidArgument',
    );
  });

  it('refuses a Content-MD5 that is not the base64 of 16 bytes with InvalidDigest', () => {
    for (const md5 of ['', 'abc', 'si4Nw3Cn9wZ/rPX3XX+jhQ', 'si4Nw3Cn9wZ/rPX3XX+jhQ=!']) {
      assert.equal(
        codeOf({ 'content-type': 'multipart/form-data; boundary=a', 'content-md5': md5 }),
        'InvalidDigest',
        md5,
      );
    }
    const envelope = checkPostEnvelope({
      'content-type': 'multipart/form-data; boundary=a',
      'content-md5': 'si4Nw3Cn9wZ/rPX3XX+jhQ==',
      'x-oss-object-acl': 'private',
    });
    assert.deepEqual(envelope, { contentMd5: 'si4Nw3Cn9wZ/rPX3XX+jhQ==', objectAclHeader: 'private' });
  });
});
