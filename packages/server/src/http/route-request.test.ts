import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OssError } from '@upcall/protocol';
import { checkOssHeaders } from './check-oss-headers.js';
import { findSelectingSubResource, routeRequest } from './route-request.js';

const q = (...names: string[]): Array<[string, string]> => names.map((name) => [name, 'v']);
const codeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    return error instanceof OssError ? error.code : String(error);
  }
  return 'routed';
};

describe('routeRequest', () => {
  it('selects UploadPart for uploadId with partNumber in either order', () => {
    assert.equal(findSelectingSubResource(q('partNumber', 'uploadId')), 'uploadId');
    assert.equal(findSelectingSubResource(q('uploadId', 'partNumber')), 'uploadId');
    assert.equal(routeRequest('PUT', 'object', q('partNumber', 'uploadId')).name, 'UploadPart');
    assert.equal(routeRequest('PUT', 'object', q('uploadId', 'partNumber')).name, 'UploadPart');
    assert.equal(routeRequest('POST', 'object', q('uploadId')).name, 'CompleteMultipartUpload');
  });

  it('ignores modifiers (response-*, callback, security-token, continuation-token) when selecting', () => {
    assert.equal(
      findSelectingSubResource(q('response-content-type', 'security-token', 'callback')),
      undefined,
    );
    assert.equal(routeRequest('GET', 'object', q('response-content-type')).name, 'GetObject');
    assert.equal(routeRequest('PUT', 'object', q('callback', 'callback-var')).name, 'PutObject');
    assert.equal(
      routeRequest('GET', 'bucket', [
        ['list-type', '2'],
        ['continuation-token', 'x'],
      ]).name,
      'ListObjectsV2',
    );
  });

  it('tells CopyObject from PutObject by x-oss-copy-source, and ListObjectsV2 from v1 by list-type=2', () => {
    assert.equal(routeRequest('PUT', 'object', [], { 'x-oss-copy-source': '/b/k' }).name, 'CopyObject');
    assert.equal(routeRequest('PUT', 'object', []).name, 'PutObject');
    assert.equal(routeRequest('GET', 'bucket', [['list-type', '2']]).name, 'ListObjectsV2');
    assert.equal(routeRequest('GET', 'bucket', [['list-type', '1']]).name, 'ListObjects');
  });

  it('routes the service and bucket administration operations', () => {
    assert.equal(routeRequest('GET', 'service', []).name, 'ListBuckets');
    assert.equal(routeRequest('DELETE', 'bucket', []).name, 'DeleteBucket');
    assert.equal(routeRequest('GET', 'bucket', q('bucketInfo')).name, 'GetBucketInfo');
    assert.equal(routeRequest('PUT', 'bucket', q('acl')).name, 'PutBucketAcl');
    assert.equal(routeRequest('DELETE', 'bucket', q('cors')).name, 'DeleteBucketCors');
    assert.equal(routeRequest('POST', 'bucket', q('delete')).name, 'DeleteMultipleObjects');
    assert.equal(routeRequest('HEAD', 'object', q('objectMeta')).name, 'GetObjectMeta');
    assert.equal(routeRequest('GET', 'bucket', q('location')).name, 'GetBucketLocation');
  });

  it('answers NotImplemented for unsupported sub-resources, combinations and UploadPartCopy', () => {
    for (const [method, scope, query] of [
      ['POST', 'object', q('append', 'position')],
      ['PUT', 'object', q('symlink')],
      ['POST', 'object', q('restore')],
      ['PUT', 'object', q('tagging')],
      ['GET', 'object', q('x-oss-process')],
      ['GET', 'object', q('versionId')],
      ['GET', 'bucket', q('acl', 'cors')],
      ['PUT', 'object', q('acl')],
    ] as const) {
      assert.equal(
        codeOf(() => routeRequest(method, scope, query)),
        'NotImplemented',
        query.join(),
      );
    }
    assert.equal(
      codeOf(() =>
        routeRequest('PUT', 'object', q('uploadId', 'partNumber'), { 'x-oss-copy-source': '/b/k' }),
      ),
      'NotImplemented',
    );
    assert.equal(
      codeOf(() => routeRequest('PATCH', 'object', [])),
      'MethodNotAllowed',
    );
    assert.equal(
      codeOf(() => routeRequest('POST', 'object', [])),
      'MethodNotAllowed',
    );
  });
});

describe('checkOssHeaders', () => {
  const put = routeRequest('PUT', 'object', []);

  it('accepts signing and SDK headers on every route, and the headers a route lists', () => {
    const headers = {
      'x-oss-date': 'd',
      'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
      'x-oss-security-token': 't',
      'x-oss-user-agent': 'ua',
      'x-oss-meta-anything': 'm',
      'x-oss-forbid-overwrite': 'true',
    };
    assert.equal(
      codeOf(() => checkOssHeaders(headers, put.ossHeaders)),
      'routed',
    );
  });

  it('answers NotImplemented for an x-oss-* header the route does not understand', () => {
    assert.equal(
      codeOf(() => checkOssHeaders({ 'x-oss-tagging': 'a=b' }, put.ossHeaders)),
      'NotImplemented',
    );
    const get = routeRequest('GET', 'object', []);
    assert.equal(
      codeOf(() => checkOssHeaders({ 'x-oss-range-behavior': 'standard' }, get.ossHeaders)),
      'NotImplemented',
    );
    assert.equal(
      codeOf(() => checkOssHeaders({ 'x-oss-callback': 'e30=' }, get.ossHeaders)),
      'NotImplemented',
    );
  });

  it('leaves routes without a header list (multipart) to check their own headers', () => {
    const part = routeRequest('PUT', 'object', q('uploadId'));
    assert.equal(
      codeOf(() => checkOssHeaders({ 'x-oss-anything': 'x' }, part.ossHeaders)),
      'routed',
    );
  });
});
