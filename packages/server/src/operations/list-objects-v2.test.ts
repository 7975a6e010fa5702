import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { putTestObject, startTestServer, type TestServer } from '../http/testing/start-test-server.js';
import { decodeContinuationToken, encodeContinuationToken } from './list-objects-v2.js';
import { signedExchange } from './testing/signed-exchange.js';

const xml = new XMLParser({
  parseTagValue: false,
  isArray: (name) => name === 'Contents' || name === 'CommonPrefixes',
});

interface ListV2Result {
  KeyCount: string;
  IsTruncated: string;
  StartAfter?: string;
  ContinuationToken?: string;
  NextContinuationToken?: string;
  EncodingType?: string;
  Contents?: Array<{ Key: string; Owner?: { ID: string } }>;
  CommonPrefixes?: Array<{ Prefix: string }>;
}

describe('ListObjectsV2', () => {
  let server: TestServer;
  const keys = ['a.txt', 'd/1.txt', 'd/2.txt', 'e/1.txt', 'q&<>.txt', 'zz/ü.txt'];
  const list = async (query: Array<[string, string]>) => {
    const res = await signedExchange(server.port, {
      method: 'GET',
      bucket: 'uploads',
      query: [['list-type', '2'], ...query],
    });
    return { res, result: (xml.parse(res.body) as { ListBucketResult: ListV2Result }).ListBucketResult };
  };

  before(async () => {
    server = await startTestServer({ config: { buckets: ['uploads'] } });
    for (const key of keys) await putTestObject(server.store, 'uploads', key, key);
  });
  after(() => server.close());

  it('pages through keys and common prefixes with opaque continuation tokens and KeyCount', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 10; page += 1) {
      const query: Array<[string, string]> = [
        ['delimiter', '/'],
        ['max-keys', '2'],
      ];
      if (token !== undefined) query.push(['continuation-token', token]);
      const { result } = await list(query);
      const entries = [
        ...(result.Contents ?? []).map((c) => c.Key),
        ...(result.CommonPrefixes ?? []).map((p) => p.Prefix),
      ];
      assert.equal(result.KeyCount, String(entries.length));
      if (token !== undefined) assert.equal(result.ContinuationToken, token);
      seen.push(...entries.sort());
      if (result.IsTruncated !== 'true') break;
      token = result.NextContinuationToken;
    }
    assert.deepEqual(seen, ['a.txt', 'd/', 'e/', 'q&<>.txt', 'zz/']);
  });

  it('starts after start-after, omits Owner unless fetch-owner=true, and URL-encodes with encoding-type=url', async () => {
    const after = await list([['start-after', 'd/2.txt']]);
    assert.equal(after.result.StartAfter, 'd/2.txt');
    assert.deepEqual(
      after.result.Contents?.map((c) => c.Key),
      ['e/1.txt', 'q&<>.txt', 'zz/ü.txt'],
    );
    assert.equal(after.result.Contents?.[0]?.Owner, undefined);
    const owned = await list([
      ['fetch-owner', 'true'],
      ['max-keys', '1'],
    ]);
    assert.equal(owned.result.Contents?.[0]?.Owner?.ID, 'upcall');
    const encoded = await list([
      ['encoding-type', 'url'],
      ['prefix', 'zz/'],
    ]);
    assert.equal(encoded.result.EncodingType, 'url');
    assert.equal(encoded.result.Contents?.[0]?.Key, 'zz%2F%C3%BC.txt');
  });

  it('answers InvalidArgument for a forged token, bad max-keys, fetch-owner or encoding-type', async () => {
    for (const query of [
      [['continuation-token', 'not a token!']],
      [['continuation-token', `${encodeContinuationToken('a.txt')}=`]],
      [['max-keys', '0']],
      [['max-keys', '1001']],
      [['fetch-owner', 'yes']],
      [['encoding-type', 'base64']],
    ] as Array<Array<[string, string]>>) {
      const { res } = await list(query);
      assert.equal(res.status, 400, JSON.stringify(query));
      assert.match(res.body, /<Code>InvalidArgument<\/Code>/);
    }
  });

  it('round-trips any key through the continuation token', () => {
    for (const key of ['a', 'd/', 'ü/字/😀', 'with space+plus']) {
      assert.equal(decodeContinuationToken(encodeContinuationToken(key)), key);
    }
  });
});
