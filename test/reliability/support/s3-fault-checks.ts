// The verdicts of the S3-backend fault suite (threats §C7 item 65, §B13): after a faulted upload nothing
// is stored — not through Upcall (HEAD, GET) and not in Ceph itself (listing unchanged, no staged body,
// no backend multipart upload left) — and no callback was sent; after the fault is gone a normal upload
// works end to end, its object checked on Ceph directly (HEAD-after-PUT) so a "200" cannot lie.
import assert from 'node:assert/strict';
import { getObject, headObject, readErrorCode } from './oss-requests.js';
import {
  headBackendObject,
  listBackendKeys,
  listBackendUploads,
  type S3FaultFixture,
} from './s3-fault-fixture.js';
import { sendFaultUpload } from './s3-fault-uploads.js';
import { buildBody, sha256Hex } from './seeded-random.js';

export interface StageSnapshot {
  readonly keys: readonly string[];
  readonly callbackConnections: number;
}

export async function snapshotStage(fixture: S3FaultFixture): Promise<StageSnapshot> {
  return {
    keys: await listBackendKeys(fixture),
    callbackConnections: fixture.receiver.connectionCount(),
  };
}

/** The refused upload of `key` left no trace: Upcall 404s it, Ceph's bucket is as before, no callback. */
export async function assertNothingStored(
  fixture: S3FaultFixture,
  key: string,
  before: StageSnapshot,
): Promise<void> {
  assert.equal((await headObject(fixture.target, key)).status, 404, `HEAD ${key} through Upcall`);
  const got = await getObject(fixture.target, key);
  assert.equal(got.status, 404, `GET ${key} through Upcall`);
  assert.equal(readErrorCode(got), 'NoSuchKey');
  assert.equal(await headBackendObject(fixture, key), undefined, `${key} in the backend`);
  // Unchanged to the key: no object, no staged body under .upcall/staging/, no stray part object.
  assert.deepEqual(await listBackendKeys(fixture), before.keys);
  assert.deepEqual(await listBackendUploads(fixture), [], 'backend multipart uploads left behind');
  assert.equal(fixture.receiver.connectionCount(), before.callbackConnections, 'a callback was sent');
}

/**
 * With every fault disarmed, a PutObject with a callback (256 KiB unless told: one buffered backend
 * PutObject; over 8 MiB it is staged as a backend multipart upload) gets the app's relayed 200, the
 * callback arrives signed, Ceph holds the object at its full size, and Upcall serves the same bytes.
 */
export async function assertUploadWorks(
  fixture: S3FaultFixture,
  key: string,
  seed: number,
  size = 256 * 1024,
): Promise<void> {
  const body = buildBody(seed, size);
  const calls = fixture.receiver.received.length;
  const outcome = await sendFaultUpload(fixture.target, {
    kind: 'put',
    key,
    body,
    callbackUrl: `${fixture.receiver.url}/cb`,
  });
  assert.equal(outcome.status, 200, outcome.response);
  assert.equal(fixture.receiver.received.length, calls + 1, 'exactly one callback');
  assert.equal(fixture.receiver.received.at(-1)?.signatureVerified, true);
  assert.equal(await headBackendObject(fixture, key), body.length, 'HEAD-after-PUT on the backend');
  const got = await getObject(fixture.target, key);
  assert.equal(got.status, 200);
  assert.equal(sha256Hex(got.body), sha256Hex(body));
}
