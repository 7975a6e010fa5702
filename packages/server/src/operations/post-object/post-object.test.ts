import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import type { TestServer } from '../../http/testing/start-test-server.js';
import { buildFormParts, buildMultipartBody } from './testing/build-multipart-body.js';
import { sendForm, signPolicyFields, type FormResponse } from './testing/post-form-client.js';
import {
  fixedNowMs,
  startPostObjectServer,
  testAccessKeyId,
  testAccessKeySecret,
  testBucket,
} from './testing/post-object-test-server.js';

interface ChecksumVector {
  readonly content: string;
  readonly etag: string;
  readonly contentMd5: string;
  readonly crc64ecma: string;
}
const vectors = (
  JSON.parse(
    readFileSync(new URL('../../../../../test/vectors/checksums.json', import.meta.url), 'utf8'),
  ) as {
    vectors: ChecksumVector[];
  }
).vectors;

type Fields = ReadonlyArray<readonly [string, string]>;

function signed(
  version: 'v1' | 'v4',
  conditions: Parameters<typeof signPolicyFields>[0]['conditions'] = [],
): Fields {
  return signPolicyFields({
    version,
    accessKeyId: testAccessKeyId,
    secret: testAccessKeySecret,
    nowMs: fixedNowMs,
    conditions: [{ bucket: testBucket }, ...conditions],
  });
}

describe('PostObject success responses and checksums', () => {
  let server: TestServer;
  const post = (
    fields: Fields,
    file: { content: string | Buffer; filename?: string; contentType?: string },
    bucket = testBucket,
  ): Promise<FormResponse> => {
    const { body, contentType } = buildMultipartBody(buildFormParts(fields, file));
    return sendForm({ port: server.port, bucket, body, contentType });
  };

  before(async () => {
    server = await startPostObjectServer();
  });
  after(() => server.close());

  for (const version of ['v1', 'v4'] as const) {
    it(`stores a ${version} upload and answers 204 with ETag, Content-MD5 and CRC-64 equal to the vectors`, async () => {
      for (const [index, vector] of vectors.entries()) {
        const key = `vectors/${version}/${index}.txt`;
        const res = await post([['key', key], ...signed(version)], { content: vector.content });
        assert.equal(res.status, 204, res.text);
        assert.equal(res.body.length, 0);
        assert.equal(res.headers.etag, vector.etag);
        assert.equal(res.headers['content-md5'], vector.contentMd5);
        assert.equal(res.headers['x-oss-hash-crc64ecma'], vector.crc64ecma);
        assert.match(String(res.headers['x-oss-request-id']), /^[0-9A-F]{24}$/);
        assert.match(String(res.headers['x-oss-server-time']), /^\d+$/);
        const meta = await server.store.head(testBucket, key);
        assert.equal(meta?.etag, vector.etag);
        assert.equal(meta?.contentMd5, vector.contentMd5);
        assert.equal(meta?.crc64, vector.crc64ecma);
        assert.equal(meta?.size, Buffer.byteLength(vector.content));
      }
    });
  }

  it('answers 200 with an empty body for success_action_status=200', async () => {
    const res = await post([['key', 's/200'], ['success_action_status', '200'], ...signed('v1')], {
      content: 'hi oss',
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-length'], '0');
    assert.equal(res.headers.etag, '"B22E0DC370A7F7067FACF5F75D7FA385"');
  });

  it('answers 201 with PostResponse XML (Bucket, Location, Key, ETag in that order)', async () => {
    const res = await post([['key', 'dir/a b+c.txt'], ['success_action_status', '201'], ...signed('v4')], {
      content: 'hi oss',
    });
    assert.equal(res.status, 201);
    assert.equal(res.headers['content-type'], 'application/xml');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers.etag, '"B22E0DC370A7F7067FACF5F75D7FA385"');
    assert.match(
      res.text,
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<PostResponse><Bucket>.*<\/Bucket><Location>.*<\/Location><Key>.*<\/Key><ETag>.*<\/ETag><\/PostResponse>$/,
    );
    const parsed = (
      new XMLParser({ parseTagValue: false }).parse(res.text) as { PostResponse: Record<string, string> }
    ).PostResponse;
    assert.equal(parsed.Bucket, testBucket);
    assert.equal(parsed.Key, 'dir/a b+c.txt');
    assert.equal(parsed.ETag, 'B22E0DC370A7F7067FACF5F75D7FA385');
    assert.equal(parsed.Location, `${server.url}/${testBucket}/dir/a%20b%2Bc.txt`);
  });

  it('answers 204 for a success_action_status other than 200 or 201', async () => {
    for (const status of ['202', '204', 'abc', '']) {
      const res = await post([['key', 's/other'], ['success_action_status', status], ...signed('v1')], {
        content: 'x',
      });
      assert.equal(res.status, 204, status);
    }
  });

  it('redirects 303 to success_action_redirect with bucket, key and etag appended (status ignored)', async () => {
    const fields: Fields = [
      ['key', 'r/é & x.txt'],
      ['success_action_redirect', 'https://app.example/done?from=upload#top'],
      ['success_action_status', '201'],
      ...signed('v1'),
    ];
    const res = await post(fields, { content: 'hi oss' });
    assert.equal(res.status, 303);
    assert.equal(res.body.length, 0);
    const location = new URL(String(res.headers.location));
    assert.equal(location.origin + location.pathname, 'https://app.example/done');
    assert.equal(location.hash, '#top');
    assert.equal(location.searchParams.get('from'), 'upload');
    assert.equal(location.searchParams.get('bucket'), testBucket);
    assert.equal(location.searchParams.get('key'), 'r/é & x.txt');
    assert.equal(location.searchParams.get('etag'), '"B22E0DC370A7F7067FACF5F75D7FA385"');
  });

  it('ignores a success_action_redirect that is not an absolute http(s) URL', async () => {
    for (const redirect of ['javascript:alert(1)', '/relative', 'not a url']) {
      const res = await post([['key', 'r/bad'], ['success_action_redirect', redirect], ...signed('v1')], {
        content: 'x',
      });
      assert.equal(res.status, 204, redirect);
      assert.equal(res.headers.location, undefined);
    }
  });
});
