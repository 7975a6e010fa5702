import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { crc64Ecma } from '@upcall/protocol';
import { startTestServer, type TestServer } from '../../http/testing/start-test-server.js';
import { newMeta } from '../../store/contract/contract-fixtures.js';
import { MemoryObjectStore } from '../../store/memory-object-store.js';
import { readErrorCode } from '../post-object/testing/post-form-client.js';
import { sendSigned, testBucket } from './testing/multipart-test-kit.js';

const xml = new XMLParser({
  parseTagValue: false,
  isArray: (name) => ['Upload', 'CommonPrefixes', 'Part'].includes(name),
});

interface UploadsResult {
  Upload?: Array<{ Key: string; UploadId: string; Initiated: string }>;
  CommonPrefixes?: Array<{ Prefix: string }>;
  IsTruncated: string;
  NextKeyMarker: string;
  NextUploadIdMarker: string;
  EncodingType?: string;
  Prefix: string;
}

describe('ListMultipartUploads and ListParts', () => {
  let server: TestServer;
  let nextId = 0;
  const ids: Record<string, string[]> = {};

  before(async () => {
    // Deterministic ids: a key's uploads list in initiation order.
    const store = new MemoryObjectStore({
      newUploadId: () => (nextId += 1).toString(16).toUpperCase().padStart(32, '0'),
    });
    server = await startTestServer({ store, config: { buckets: [testBucket] } });
    for (const key of ['a/1.bin', 'a/2.bin', 'b/x y.bin', 'b/x y.bin', 'c.bin', 'c.bin', 'd/e/f.bin']) {
      const upload = await store.multipart.initiate(newMeta(key, { bucket: testBucket }));
      (ids[key] ??= []).push(upload.uploadId);
    }
  });
  after(() => server.close());

  const listUploads = async (query: Array<[string, string]>): Promise<UploadsResult> => {
    const res = await sendSigned(server, { method: 'GET', query: [['uploads', ''], ...query] });
    assert.equal(res.status, 200, res.body);
    return (xml.parse(res.body) as { ListMultipartUploadsResult: UploadsResult }).ListMultipartUploadsResult;
  };
  const keysOf = (result: UploadsResult): string[] =>
    (result.Upload ?? []).map((u) => `${u.Key}#${u.UploadId.slice(-1)}`);

  it('lists every upload in key then upload-id order', async () => {
    const result = await listUploads([]);
    assert.deepEqual(keysOf(result), [
      'a/1.bin#1',
      'a/2.bin#2',
      'b/x y.bin#3',
      'b/x y.bin#4',
      'c.bin#5',
      'c.bin#6',
      'd/e/f.bin#7',
    ]);
    assert.equal(result.IsTruncated, 'false');
  });

  it('pages with max-uploads, key-marker and upload-id-marker', async () => {
    const first = await listUploads([['max-uploads', '3']]);
    assert.deepEqual(keysOf(first), ['a/1.bin#1', 'a/2.bin#2', 'b/x y.bin#3']);
    assert.equal(first.IsTruncated, 'true');
    assert.equal(first.NextKeyMarker, 'b/x y.bin');
    const second = await listUploads([
      ['max-uploads', '3'],
      ['key-marker', first.NextKeyMarker],
      ['upload-id-marker', first.NextUploadIdMarker],
    ]);
    assert.deepEqual(keysOf(second), ['b/x y.bin#4', 'c.bin#5', 'c.bin#6']);
    const keyOnly = await listUploads([['key-marker', 'b/x y.bin']]);
    assert.deepEqual(keysOf(keyOnly), ['c.bin#5', 'c.bin#6', 'd/e/f.bin#7']);
  });

  it('folds keys under a delimiter into common prefixes, page by page', async () => {
    const all = await listUploads([['delimiter', '/']]);
    assert.deepEqual(keysOf(all), ['c.bin#5', 'c.bin#6']);
    assert.deepEqual(
      all.CommonPrefixes?.map((p) => p.Prefix),
      ['a/', 'b/', 'd/'],
    );
    const first = await listUploads([
      ['delimiter', '/'],
      ['max-uploads', '2'],
    ]);
    assert.deepEqual(
      first.CommonPrefixes?.map((p) => p.Prefix),
      ['a/', 'b/'],
    );
    assert.equal(first.NextKeyMarker, 'b/');
    const rest = await listUploads([
      ['delimiter', '/'],
      ['key-marker', 'b/'],
    ]);
    assert.deepEqual(keysOf(rest), ['c.bin#5', 'c.bin#6']);
    assert.deepEqual(
      rest.CommonPrefixes?.map((p) => p.Prefix),
      ['d/'],
    );
    const nested = await listUploads([
      ['prefix', 'd/'],
      ['delimiter', '/'],
    ]);
    assert.deepEqual(
      nested.CommonPrefixes?.map((p) => p.Prefix),
      ['d/e/'],
    );
  });

  it('URL-encodes keys and prefixes under encoding-type=url', async () => {
    const result = await listUploads([
      ['prefix', 'b/'],
      ['encoding-type', 'url'],
    ]);
    assert.equal(result.EncodingType, 'url');
    assert.equal(result.Prefix, 'b%2F');
    assert.deepEqual(keysOf(result), ['b%2Fx%20y.bin#3', 'b%2Fx%20y.bin#4']);
  });

  it('refuses max-uploads outside 1…1000 and an unknown encoding-type', async () => {
    for (const query of [
      [['max-uploads', '0']],
      [['max-uploads', '1001']],
      [['encoding-type', 'base64']],
    ] as Array<Array<[string, string]>>) {
      const res = await sendSigned(server, { method: 'GET', query: [['uploads', ''], ...query] });
      assert.equal(res.status, 400);
      assert.equal(readErrorCode(res.body), 'InvalidArgument');
    }
  });

  it('pages ListParts with part-number-marker and max-parts up to 1000', async () => {
    const key = 'c.bin';
    const uploadId = ids[key]![0]!;
    for (const partNumber of [9, 2, 5]) {
      const put = await sendSigned(server, {
        method: 'PUT',
        key,
        query: [
          ['partNumber', String(partNumber)],
          ['uploadId', uploadId],
        ],
        body: `part ${partNumber}`,
      });
      assert.equal(put.status, 200);
    }
    const page = await sendSigned(server, {
      method: 'GET',
      key,
      query: [
        ['uploadId', uploadId],
        ['part-number-marker', '2'],
        ['max-parts', '1'],
      ],
    });
    const result = (xml.parse(page.body) as { ListPartsResult: Record<string, unknown> }).ListPartsResult;
    assert.equal(result.IsTruncated, 'true');
    assert.equal(result.NextPartNumberMarker, '5');
    assert.equal(result.PartNumberMarker, '2');
    const parts = result.Part as Array<Record<string, string>>;
    assert.deepEqual(
      parts.map((p) => [p.PartNumber, p.Size, p.HashCrc64ecma]),
      [['5', '6', crc64Ecma(Buffer.from('part 5'))]],
    );
    const tooMany = await sendSigned(server, {
      method: 'GET',
      key,
      query: [
        ['uploadId', uploadId],
        ['max-parts', '1001'],
      ],
    });
    assert.equal(readErrorCode(tooMany.body), 'InvalidArgument');
    const unknown = await sendSigned(server, { method: 'GET', key, query: [['uploadId', 'NOPE']] });
    assert.equal(unknown.status, 404);
    assert.equal(readErrorCode(unknown.body), 'NoSuchUpload');
  });
});
