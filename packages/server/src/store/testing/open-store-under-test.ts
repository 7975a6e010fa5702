// Test support: the object store an HTTP-level suite runs its server over, so one suite runs twice —
// over the embedded filesystem store and over the gateway store (S3ObjectStore on the backend named by
// S3_ENDPOINT, Ceph RGW in CI; docs/scale-out.md). The s3 variant is skipped with s3SkipReason when no
// backend is configured locally; scripts/test-all.sh always provides one. Not production code.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsObjectStore } from '../fs-object-store.js';
import type { ObjectStore } from '../object-store.js';
import { S3BucketMap } from '../s3-bucket-map.js';
import { S3ObjectStore } from '../s3-object-store.js';
import {
  createTestS3Client,
  deleteBackendBuckets,
  newTestBucketPrefix,
  readS3TestConnection,
  s3SkipReason,
} from '../s3-test-backend.js';

export type StoreUnderTestKind = 'fs' | 's3';

/** Every suite parameterised over the store runs once per kind, in this order. */
export const storesUnderTest: readonly StoreUnderTestKind[] = ['fs', 's3'];

export interface StoreUnderTest {
  readonly kind: StoreUnderTestKind;
  readonly store: ObjectStore;
  /** Closes the store (again: a server's close() already does) and removes its directory or backend buckets. */
  cleanup(): Promise<void>;
}

export interface StoreUnderTestOptions {
  /** Clock for lastModifiedMs and upload ids. Default Date.now. */
  readonly now?: () => number;
}

/** The `skip` option for a suite over `kind`: the reason when its backend is absent, else false. */
export function skipStoreUnderTest(
  kind: StoreUnderTestKind,
  env: NodeJS.ProcessEnv = process.env,
): string | false {
  return kind === 's3' && readS3TestConnection(env) === undefined ? s3SkipReason : false;
}

/** A human label for describe() titles: "filesystem store" / "gateway store (S3 backend)". */
export function describeStoreUnderTest(kind: StoreUnderTestKind): string {
  return kind === 'fs' ? 'filesystem store' : 'gateway store (S3 backend)';
}

async function openFsStore(options: StoreUnderTestOptions): Promise<StoreUnderTest> {
  const dir = await mkdtemp(join(tmpdir(), 'upcall-store-under-test-'));
  const store = await FsObjectStore.open({ dataDir: join(dir, 'data'), ...options });
  return {
    kind: 'fs',
    store,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function openS3Store(options: StoreUnderTestOptions): StoreUnderTest {
  const client = createTestS3Client();
  if (client === undefined) throw new Error(s3SkipReason);
  // Fresh backend buckets per store: suites running at once never see each other's objects.
  const prefix = newTestBucketPrefix();
  const store = new S3ObjectStore({ client, bucketMap: new S3BucketMap({ prefix }), ...options });
  return {
    kind: 's3',
    store,
    cleanup: async () => {
      await store.close();
      const admin = createTestS3Client();
      if (admin === undefined) return;
      await deleteBackendBuckets(admin, prefix).finally(() => admin.destroy());
    },
  };
}

/** Opens a fresh, empty store of `kind`; throws for s3 when no backend is configured (check the skip first). */
export async function openStoreUnderTest(
  kind: StoreUnderTestKind,
  options: StoreUnderTestOptions = {},
): Promise<StoreUnderTest> {
  return kind === 'fs' ? openFsStore(options) : openS3Store(options);
}
