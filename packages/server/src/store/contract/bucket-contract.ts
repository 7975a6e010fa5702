// Contract: buckets. createBucket is idempotent (the server creates its configured buckets at every
// start); names follow the OSS grammar (threats §B6) or fail with InvalidBucketName 400.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertOssError, bucket, withStore, type ContractStoreFactory } from './contract-fixtures.js';

export function runBucketContract(makeStore: ContractStoreFactory): void {
  describe('buckets', () => {
    it('reports a created bucket through getBucket and listBuckets', async () => {
      await withStore(makeStore, async (store) => {
        const created = await store.createBucket('photos-2024', 'public-read');
        assert.equal(created.name, 'photos-2024');
        assert.equal(created.acl, 'public-read');
        assert.ok(Number.isSafeInteger(created.createdMs));
        assert.deepEqual(await store.getBucket('photos-2024'), created);
        assert.deepEqual(
          (await store.listBuckets()).map((b) => b.name),
          [bucket, 'photos-2024'],
        );
      });
    });

    it('defaults a new bucket to private', async () => {
      await withStore(makeStore, async (store) => {
        assert.equal((await store.createBucket('plain')).acl, 'private');
      });
    });

    it('returns an existing bucket unchanged when it is created again, without resetting its ACL', async () => {
      await withStore(makeStore, async (store) => {
        const first = await store.createBucket('again', 'public-read');
        const second = await store.createBucket('again', 'private');
        assert.deepEqual(second, first);
        assert.deepEqual(await store.getBucket('again'), first);
        assert.equal((await store.listBuckets()).filter((b) => b.name === 'again').length, 1);
      });
    });

    it('lists buckets in name order', async () => {
      await withStore(makeStore, async (store) => {
        for (const name of ['zeta', 'alpha', 'mid-1', 'mid0']) await store.createBucket(name);
        assert.deepEqual(
          (await store.listBuckets()).map((b) => b.name),
          ['alpha', bucket, 'mid-1', 'mid0', 'zeta'],
        );
      });
    });

    it('answers undefined for a bucket that does not exist', async () => {
      await withStore(makeStore, async (store) => {
        assert.equal(await store.getBucket('missing-bucket'), undefined);
      });
    });

    it('accepts names of exactly 3 and 63 characters', async () => {
      await withStore(makeStore, async (store) => {
        await store.createBucket('a-1');
        await store.createBucket('b'.repeat(63));
        assert.ok(await store.getBucket('b'.repeat(63)));
      });
    });

    const badNames = [
      'ab',
      'c'.repeat(64),
      'Upper',
      '-lead',
      'trail-',
      'under_score',
      '..',
      'a.b',
      'a/b',
      '',
      'é-bucket',
    ];
    for (const name of badNames) {
      it(`refuses the bucket name ${JSON.stringify(name)} with InvalidBucketName and creates nothing`, async () => {
        await withStore(makeStore, async (store) => {
          await assertOssError(store.createBucket(name), 'InvalidBucketName', 400);
          assert.equal(await store.getBucket(name), undefined);
          assert.deepEqual(
            (await store.listBuckets()).map((b) => b.name),
            [bucket],
          );
        });
      });
    }
  });
}
