// S3ObjectStore against a real Ceph RGW (or any S3 backend named by S3_ENDPOINT): the same contract
// suites as the other stores, each test on fresh backend buckets that are deleted afterwards.
import { after, describe, it } from 'node:test';
import { runMultipartStoreContract } from './multipart-store.contract.js';
import { runObjectStoreContract, type ContractStoreFactory } from './object-store.contract.js';
import { S3BucketMap } from './s3-bucket-map.js';
import { S3ObjectStore } from './s3-object-store.js';
import {
  createTestS3Client,
  deleteBackendBuckets,
  newTestBucketPrefix,
  s3SkipReason,
} from './s3-test-backend.js';

const client = createTestS3Client();

if (client === undefined) {
  describe('S3ObjectStore contract suites', () => {
    it('runs against a real S3 backend', { skip: s3SkipReason }, () => undefined);
  });
} else {
  const backend = client;
  after(() => backend.destroy());
  const makeS3Store: ContractStoreFactory = (options = {}) => {
    const prefix = newTestBucketPrefix();
    const store = new S3ObjectStore({
      client: backend,
      bucketMap: new S3BucketMap({ prefix }),
      ownsClient: false,
      ...(options.now === undefined ? {} : { now: options.now }),
    });
    return Promise.resolve({ store, cleanup: () => deleteBackendBuckets(backend, prefix) });
  };
  runObjectStoreContract('S3ObjectStore (Ceph RGW)', makeS3Store);
  runMultipartStoreContract('S3ObjectStore (Ceph RGW)', makeS3Store);
}
