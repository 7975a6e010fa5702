// The S3-backend fault stage (threats §C7 item 65): an in-process Upcall server whose store is the S3
// gateway store (S3ObjectStore) talking to Ceph RGW through two proxies —
//   SDK client → `link` (app-kit's TCP fault proxy: forward / refuse / blackhole the whole backend link)
//              → `proxy` (s3-fault-proxy.ts: per-operation SlowDown, dropped PutObject, mid-body reset, delay)
//              → Ceph RGW
// — plus a callback receiver, and a second SDK client that talks to Ceph directly, so the test can see
// what the backend really holds (HEAD-after-PUT, listings, multipart uploads) past every proxy.
import {
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { startFaultProxy, type FaultProxy } from '../../../packages/app-kit/src/records/fault-proxy.js';
import {
  startTestServer,
  testAccessKeyId,
  testAccessKeySecret,
  type TestServer,
} from '../../../packages/server/src/http/testing/start-test-server.js';
import {
  startCallbackReceiver,
  type CallbackReceiver,
} from '../../../packages/server/src/operations/post-object/testing/callback-receiver.js';
import { S3BucketMap } from '../../../packages/server/src/store/s3-bucket-map.js';
import { createS3Client, type S3Connection } from '../../../packages/server/src/store/s3-client.js';
import { S3ObjectStore } from '../../../packages/server/src/store/s3-object-store.js';
import {
  deleteBackendBuckets,
  newTestBucketPrefix,
} from '../../../packages/server/src/store/s3-test-backend.js';
import type { OssTarget } from './oss-requests.js';
import { startS3FaultProxy, type S3FaultProxy } from './s3-fault-proxy.js';

export interface BackendWarning {
  readonly message: string;
  readonly detail: Record<string, unknown>;
}

export interface S3FaultFixture {
  readonly server: TestServer;
  readonly store: S3ObjectStore;
  readonly target: OssTarget;
  readonly proxy: S3FaultProxy;
  readonly link: FaultProxy;
  readonly receiver: CallbackReceiver;
  /** Talks to Ceph directly, past both proxies. */
  readonly backend: S3Client;
  readonly backendBucket: string;
  /** What the store reported through its `warn` hook (aborts that could not reach the backend…). */
  readonly warnings: BackendWarning[];
  close(): Promise<void>;
}

/** The fixture's backend request timeout (s3-client.ts `requestTimeoutMs`). */
export const backendRequestTimeoutMs = 1_900;

export async function openS3FaultFixture(
  connection: S3Connection & { endpoint: string },
): Promise<S3FaultFixture> {
  const bucket = 'uploads';
  const prefix = newTestBucketPrefix();
  const backend = createS3Client(connection);
  const proxy = await startS3FaultProxy(connection.endpoint);
  const link = await startFaultProxy({ host: '127.0.0.1', port: proxy.port });
  const warnings: BackendWarning[] = [];
  // The production client (createS3Client: retries, timeouts, checksum settings) aimed at the proxies,
  // with the backend request timeout shortened from 30 s (under 2 s the SDK arms it at once).
  const store = new S3ObjectStore({
    client: createS3Client({
      ...connection,
      endpoint: `http://127.0.0.1:${link.port}`,
      requestTimeoutMs: backendRequestTimeoutMs,
    }),
    bucketMap: new S3BucketMap({ prefix }),
    warn: (message, detail) => warnings.push({ message, detail }),
  });
  const server = await startTestServer({ store, config: { buckets: [bucket], callbackTimeoutMs: 2_000 } });
  const receiver = await startCallbackReceiver();
  const fixture: S3FaultFixture = {
    server,
    store,
    target: { port: server.port, bucket, accessKeyId: testAccessKeyId, accessKeySecret: testAccessKeySecret },
    proxy,
    link,
    receiver,
    backend,
    backendBucket: `${prefix}${bucket}`,
    warnings,
    async close() {
      await server.close(); // closes the store and its client
      await Promise.all([receiver.close(), link.close(), proxy.close()]);
      await deleteBackendBuckets(backend, prefix);
      backend.destroy();
    },
  };
  return fixture;
}

/** Every key of the backend bucket, `.upcall/` state included (what Ceph holds, not what Upcall says). */
export async function listBackendKeys(fixture: S3FaultFixture): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await fixture.backend.send(
      new ListObjectsV2Command({ Bucket: fixture.backendBucket, ContinuationToken: token }),
    );
    keys.push(...(page.Contents ?? []).map((object) => object.Key ?? ''));
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return keys.sort();
}

/** Keys of the backend multipart uploads in progress in the bucket. */
export async function listBackendUploads(fixture: S3FaultFixture): Promise<string[]> {
  const listed = await fixture.backend.send(
    new ListMultipartUploadsCommand({ Bucket: fixture.backendBucket }),
  );
  return (listed.Uploads ?? []).map((upload) => upload.Key ?? '');
}

/** HEAD on Ceph itself: the object's size, or undefined when the backend does not have it. */
export async function headBackendObject(fixture: S3FaultFixture, key: string): Promise<number | undefined> {
  try {
    const head = await fixture.backend.send(
      new HeadObjectCommand({ Bucket: fixture.backendBucket, Key: key }),
    );
    return head.ContentLength;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) {
      return undefined;
    }
    throw error;
  }
}
