import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UploadHasher, createHashingTransform } from './upload-hasher.js';
import { crc64Ecma } from './crc64-ecma.js';

interface ChecksumVector {
  content: string;
  etag: string;
  contentMd5: string;
  crc64ecma: string;
}
const vectorFile = new URL('../../../../test/vectors/checksums.json', import.meta.url);
const vectors = (JSON.parse(readFileSync(vectorFile, 'utf8')) as { vectors: ChecksumVector[] }).vectors;

/** Deterministic filler bytes (a failure must reproduce). */
const patternBytes = (length: number, salt: number): Buffer =>
  Buffer.from(Array.from({ length }, (_, i) => (i * 131 + salt * 17 + (i >>> 8)) & 0xff));

describe('UploadHasher', () => {
  for (const vector of vectors) {
    it(`reports OSS's ETag, Content-MD5 and CRC-64 for ${JSON.stringify(vector.content)}`, () => {
      const content = Buffer.from(vector.content, 'utf8');
      const digest = new UploadHasher().update(content).digest();
      assert.equal(digest.etag, vector.etag);
      assert.equal(digest.etagHex, vector.etag.slice(1, -1));
      assert.equal(digest.contentMd5, vector.contentMd5);
      assert.equal(digest.crc64, vector.crc64ecma);
      assert.equal(digest.size, content.length);
    });
  }

  it('gives the same digest for data fed in odd-sized chunks as for one chunk', () => {
    const data = patternBytes(10_007, 1);
    const hasher = new UploadHasher();
    for (let offset = 0; offset < data.length; offset += 97)
      hasher.update(data.subarray(offset, offset + 97));
    const digest = hasher.digest();
    assert.equal(digest.contentMd5, createHash('md5').update(data).digest('base64'));
    assert.equal(digest.crc64, crc64Ecma(data));
    assert.equal(digest.size, data.length);
  });

  it('refuses updates after the digest has been taken', () => {
    const hasher = new UploadHasher();
    hasher.digest();
    assert.throws(() => hasher.update(Buffer.from('late')));
  });
});

describe('createHashingTransform', () => {
  it('forwards every byte unchanged and exposes the digest after the stream ends', async () => {
    const chunks = [patternBytes(65_536, 2), patternBytes(13, 3), patternBytes(70_001, 4)];
    const received: Buffer[] = [];
    const hashing = createHashingTransform();
    const before = hashing.digest;
    assert.equal(before, undefined);
    await pipeline(
      Readable.from(chunks),
      hashing,
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          received.push(chunk);
          callback();
        },
      }),
    );
    const all = Buffer.concat(chunks);
    assert.deepEqual(Buffer.concat(received), all);
    assert.equal(hashing.digest?.crc64, crc64Ecma(all));
    assert.equal(hashing.digest?.etagHex, createHash('md5').update(all).digest('hex').toUpperCase());
    assert.equal(hashing.digest?.size, all.length);
  });
});
