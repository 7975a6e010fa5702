import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OssError } from '@upcall/protocol';
import {
  parseQuery,
  parseRequestTarget,
  readHostName,
  readVirtualHostBucket,
} from './parse-request-target.js';

const options = { serviceHosts: new Set(['127.0.0.1', 'upcall.example.com']) };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof OssError ? error.code : 'not-an-oss-error';
  }
}

describe('parseRequestTarget', () => {
  it('reads the bucket from an aliyuncs.com Host sent to an IP endpoint (ali-oss with an IP endpoint)', () => {
    const target = parseRequestTarget('/dir/a%2Bb.txt', 'uploads.oss-cn-hangzhou.aliyuncs.com', options);
    assert.equal(target.style, 'virtual-hosted');
    assert.equal(target.bucket, 'uploads');
    assert.equal(target.key, 'dir/a+b.txt');
    assert.equal(target.hostName, 'uploads.oss-cn-hangzhou.aliyuncs.com');
  });

  it('binds a configured custom domain to its bucket and reads the whole path as the key (cname)', () => {
    const withDomains = { ...options, bucketHosts: new Map([['files.example.org', 'uploads']]) };
    const target = parseRequestTarget('/other/dir/a.txt', 'Files.Example.org:8443', withDomains);
    assert.equal(target.style, 'custom-domain');
    assert.equal(target.bucket, 'uploads');
    assert.equal(target.key, 'other/dir/a.txt');
    assert.equal(parseRequestTarget('/', 'files.example.org', withDomains).key, undefined);
    // Other hosts keep the usual rules.
    assert.equal(parseRequestTarget('/k', 'cdn.example.org', withDomains).bucket, 'cdn');
    assert.equal(parseRequestTarget('/bkt/k', '127.0.0.1', withDomains).bucket, 'bkt');
  });

  it('reads the bucket from a subdomain of the configured endpoint and of localhost', () => {
    assert.equal(parseRequestTarget('/k', 'uploads.upcall.example.com', options).bucket, 'uploads');
    assert.equal(parseRequestTarget('/k', 'media.localhost:9000', options).bucket, 'media');
  });

  it('uses path style when the Host is an IP, localhost or the endpoint host itself', () => {
    for (const host of ['127.0.0.1:9000', 'localhost:9000', 'upcall.example.com', '[::1]:9000', undefined]) {
      const target = parseRequestTarget('/uploads/a/b.txt', host, options);
      assert.equal(target.style, 'path', String(host));
      assert.equal(target.bucket, 'uploads');
      assert.equal(target.key, 'a/b.txt');
    }
  });

  it('distinguishes service, bucket and object requests in path style', () => {
    assert.deepEqual(
      [
        parseRequestTarget('/', '127.0.0.1', options).bucket,
        parseRequestTarget('/', '127.0.0.1', options).key,
      ],
      [undefined, undefined],
    );
    const bucketOnly = parseRequestTarget('/uploads/', '127.0.0.1', options);
    assert.deepEqual([bucketOnly.bucket, bucketOnly.key], ['uploads', undefined]);
    const noSlash = parseRequestTarget('/uploads?prefix=a', '127.0.0.1', options);
    assert.deepEqual([noSlash.bucket, noSlash.key, noSlash.rawQuery], ['uploads', undefined, 'prefix=a']);
  });

  it('reserves /_upcall/ paths for the server in path style only', () => {
    const reserved = parseRequestTarget('/_upcall/health', '127.0.0.1', options);
    assert.equal(reserved.reservedPath, 'health');
    assert.equal(reserved.bucket, undefined);
    const inBucket = parseRequestTarget('/_upcall/health', 'uploads.localhost', options);
    assert.equal(inBucket.reservedPath, undefined);
    assert.equal(inBucket.key, '_upcall/health');
  });

  it('decodes keys as UTF-8, including raw non-ASCII bytes, and keeps + literal', () => {
    assert.equal(parseRequestTarget('/b1b/%E4%B8%AD+x', '127.0.0.1', options).key, '中+x');
    const rawUtf8 = Buffer.from('/b1b/中', 'utf8').toString('latin1');
    assert.equal(parseRequestTarget(rawUtf8, '127.0.0.1', options).key, '中');
  });

  it('answers InvalidObjectName for broken percent-encoding, invalid UTF-8 and control characters', () => {
    for (const target of [
      '/b1b/%E4%B8',
      '/b1b/%zz',
      '/b1b/%FF',
      '/b1b/%ED%A0%80',
      '/b1b/a%01b',
      '/b1b//abs',
    ]) {
      assert.equal(
        codeOf(() => parseRequestTarget(target, '127.0.0.1', options)),
        'InvalidObjectName',
        target,
      );
    }
  });

  it('answers InvalidBucketName for a path segment that cannot be a bucket', () => {
    for (const target of ['/Upper/k', '/a_b/k', '/favicon.ico', '/ab']) {
      assert.equal(
        codeOf(() => parseRequestTarget(target, '127.0.0.1', options)),
        'InvalidBucketName',
      );
    }
  });

  it('accepts an absolute-form target and takes the host from it', () => {
    const target = parseRequestTarget('http://uploads.localhost:9000/k?x=1', '127.0.0.1', options);
    assert.deepEqual([target.bucket, target.key, target.rawQuery], ['uploads', 'k', 'x=1']);
  });

  it('refuses a target that is not a path', () => {
    assert.equal(
      codeOf(() => parseRequestTarget('*', '127.0.0.1', options)),
      'InvalidArgument',
    );
  });
});

describe('parseQuery', () => {
  it('keeps order, valueless names and + as a literal plus', () => {
    assert.deepEqual(parseQuery('uploads&prefix=a%20b+c&empty=&&x=%2F'), [
      ['uploads', ''],
      ['prefix', 'a b+c'],
      ['empty', ''],
      ['x', '/'],
    ]);
  });

  it('rejects undecodable components as InvalidArgument', () => {
    assert.equal(
      codeOf(() => parseQuery('a=%E4')),
      'InvalidArgument',
    );
  });
});

describe('host helpers', () => {
  it('strips ports, brackets and a trailing dot', () => {
    assert.equal(readHostName('Uploads.LocalHost.:9000'), 'uploads.localhost');
    assert.equal(readHostName('[::1]:9000'), '::1');
    assert.equal(readHostName(undefined), '');
  });

  it('never takes a bucket from an IP literal or a single label', () => {
    assert.equal(readVirtualHostBucket('10.0.0.1', new Set()), undefined);
    assert.equal(readVirtualHostBucket('intranet', new Set()), undefined);
    assert.equal(readVirtualHostBucket('my_box.lan', new Set()), undefined);
  });
});
