import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OssError } from '@upcall/protocol';
import { parseS3BucketMap, S3BucketMap } from './s3-bucket-map.js';
import { decodePartKey, encodePartKey, newestPartVersions, PartVersionClock } from './s3-part-keys.js';

describe('S3BucketMap', () => {
  it('maps listed buckets to their backend bucket and the rest to prefix + name', () => {
    const map = new S3BucketMap({ entries: { uploads: 'prod-uploads' }, prefix: 'oss-' });
    assert.equal(map.backendFor('uploads'), 'prod-uploads');
    assert.equal(map.backendFor('photos'), 'oss-photos');
    assert.equal(new S3BucketMap().backendFor('photos'), 'photos');
  });

  it('shortens a prefixed name above 63 characters with a hash, distinct per OSS name', () => {
    const map = new S3BucketMap({ prefix: 'ut0123abcd-' });
    const long = map.backendFor('b'.repeat(63));
    const other = map.backendFor(`${'b'.repeat(62)}c`);
    assert.equal(long.length, 63);
    assert.match(long, /^ut0123abcd-b+-[0-9a-f]{8}$/);
    assert.notEqual(long, other);
  });

  it('refuses invalid OSS names with InvalidBucketName, and tryBackendFor answers undefined', () => {
    const map = new S3BucketMap();
    assert.throws(
      () => map.backendFor('Bad_Name'),
      (error: unknown) => error instanceof OssError && error.code === 'InvalidBucketName',
    );
    assert.equal(map.tryBackendFor('a/b'), undefined);
  });

  it('tells which backend buckets may hold OSS buckets', () => {
    const map = new S3BucketMap({ entries: { uploads: 'prod-uploads' }, prefix: 'oss-' });
    assert.equal(map.mayHoldOssBucket('oss-anything'), true);
    assert.equal(map.mayHoldOssBucket('prod-uploads'), true);
    assert.equal(map.mayHoldOssBucket('unrelated'), false);
  });

  it('refuses two OSS buckets on one backend bucket and a bad prefix', () => {
    assert.throws(() => new S3BucketMap({ entries: { aaa: 'same', bbb: 'same' } }), /same backend bucket/);
    assert.throws(() => new S3BucketMap({ prefix: 'Bad_' }), RangeError);
  });
});

describe('parseS3BucketMap', () => {
  it('reads comma-separated and repeated OSS=BACKEND pairs', () => {
    assert.deepEqual(parseS3BucketMap(['uploads=prod-uploads, media=prod-media', 'logs=prod-logs']), {
      uploads: 'prod-uploads',
      media: 'prod-media',
      logs: 'prod-logs',
    });
  });

  it('refuses malformed pairs and a bucket mapped twice', () => {
    assert.throws(() => parseS3BucketMap(['uploads']), /OSS-BUCKET=BACKEND-BUCKET/);
    assert.throws(() => parseS3BucketMap(['a1b=x1y,a1b=z1w']), /mapped twice/);
    assert.throws(() => parseS3BucketMap(['uploads=Not_Valid']), /invalid backend bucket name/);
    assert.throws(() => parseS3BucketMap(['Up_loads=fine-name']), /not a valid OSS bucket name/);
  });
});

describe('part keys', () => {
  const info = { partNumber: 7, size: 1024, etag: '"ABC"', crc64: '123', lastModifiedMs: 1_700_000_000_000 };

  it('round-trips part info through the key', () => {
    const key = encodePartKey('0'.repeat(32), info, '00000000000000010abc');
    assert.match(key, /^\.upcall\/parts\/0{32}\/00007\.00000000000000010abc\.[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodePartKey('0'.repeat(32), key), { info, key, version: '00000000000000010abc' });
    assert.equal(decodePartKey('1'.repeat(32), key), undefined, 'another upload');
    assert.equal(decodePartKey('0'.repeat(32), `${key}x!`), undefined, 'a key it did not write');
  });

  it('orders versions by commit within a process, even on a frozen clock', () => {
    const clock = new PartVersionClock();
    const versions = Array.from({ length: 5 }, () => clock.next(1_000));
    assert.deepEqual([...versions].sort(), versions);
    assert.equal(new Set(versions).size, 5);
  });

  it('keeps the newest version of each part number, in part-number order', () => {
    const v = (partNumber: number, version: string) => ({
      info: { ...info, partNumber },
      key: `${partNumber}-${version}`,
      version,
    });
    const newest = newestPartVersions([v(2, '2'), v(1, '5'), v(2, '9'), v(1, '3')]);
    assert.deepEqual(
      newest.map((entry) => entry.key),
      ['1-5', '2-9'],
    );
  });
});
