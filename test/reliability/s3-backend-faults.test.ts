// S3-compatible backend faults (threats §C7 item 65, §B13 "S3-compatible backend"): Upcall's gateway
// store on Ceph RGW behind fault proxies (support/s3-fault-fixture.ts). A backend that resets a part
// mid-body, sheds load with 503 SlowDown, or stalls must cost the uploader a 5xx — never a 200 for an
// object Ceph does not hold — with no callback sent, no object visible through Upcall or in Ceph, and no
// backend multipart upload left behind; once the fault is gone the next upload works end to end. A
// backend that never answers is cut off by the backend request timeout (s3-client.ts, shortened to
// 1.9 s here), and one that answers 200 but drops the object is caught by the HEAD after the publish
// (s3-verify-publish.ts).
// Needs S3_ENDPOINT (Ceph RGW, docs/scale-out.md "Tests"); skipped with the reason otherwise.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { readS3TestConnection, s3SkipReason } from '../../packages/server/src/store/s3-test-backend.js';
import { headObject } from './support/oss-requests.js';
import { assertNothingStored, assertUploadWorks, snapshotStage } from './support/s3-fault-checks.js';
import {
  backendRequestTimeoutMs,
  listBackendUploads,
  openS3FaultFixture,
  type S3FaultFixture,
} from './support/s3-fault-fixture.js';
import type { S3RequestInfo } from './support/s3-fault-rules.js';
import { sendFaultUpload, type FaultUpload } from './support/s3-fault-uploads.js';
import { buildBody } from './support/seeded-random.js';

const MiB = 1024 * 1024;
const connection = readS3TestConnection();
const skip = connection?.endpoint === undefined ? s3SkipReason : false;
/** Over the store's 8 MiB buffer: streamed to Ceph as a staging multipart upload (docs/scale-out.md). */
const largeBytes = 20 * MiB;

const isOperation =
  (operation: S3RequestInfo['operation'], key?: string) =>
  (request: S3RequestInfo): boolean =>
    request.operation === operation && (key === undefined || request.key === key);

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('the S3 gateway under backend faults (threats §C7.65)', { skip }, () => {
  let stage: S3FaultFixture;
  const upload = (kind: FaultUpload['kind'], key: string, size: number, seed: number): FaultUpload => ({
    kind,
    key,
    body: buildBody(seed, size),
    callbackUrl: `${stage.receiver.url}/cb`,
  });

  before(async () => {
    stage = await openS3FaultFixture({ ...connection!, endpoint: connection!.endpoint! });
  });
  afterEach(async () => {
    stage.proxy.clearRules();
    await stage.link.setMode('forward');
  });
  after(async () => {
    await stage?.close();
  });

  it('answers 500 InternalError when Ceph resets a part mid-body, and leaves nothing behind', async (t) => {
    for (const kind of ['put', 'post'] as const) {
      const key = `reset-${kind}`;
      const before = await snapshotStage(stage);
      // Every attempt of every part (the SDK retries twice) dies after 1 MiB of its 8 MiB body.
      const fault = stage.proxy.addRule({
        match: isOperation('UploadPart'),
        action: { kind: 'reset-after', bodyBytes: MiB },
      });
      const outcome = await sendFaultUpload(stage.target, upload(kind, key, largeBytes, 1));
      stage.proxy.clearRules();
      t.diagnostic(
        `${kind}: ${outcome.status} ${outcome.code} in ${outcome.elapsedMs} ms, ${fault.hits()} resets`,
      );
      assert.equal(outcome.status, 500, outcome.response);
      assert.equal(outcome.code, 'InternalError');
      assert.ok(fault.hits() >= 3, 'the part was attempted and reset');
      await assertNothingStored(stage, key, before); // the staging upload was aborted
      await assertUploadWorks(stage, `after-reset-${kind}`, 2, largeBytes); // the staged path again
    }
  });

  it('answers 500 when the backend link drops with a part in flight; expiry removes the staging upload the abort could not reach', async (t) => {
    const key = 'link-cut';
    const before = await snapshotStage(stage);
    const held = stage.proxy.addRule({
      match: isOperation('UploadPart'),
      action: { kind: 'delay', ms: 5_000 },
    });
    const pending = sendFaultUpload(stage.target, upload('put', key, largeBytes, 3));
    await waitFor(() => held.hits() >= 1, 'a part upload on the wire');
    await stage.link.setMode('refuse'); // connection reset, then refused: Ceph is gone
    const outcome = await pending;
    const lingering = await listBackendUploads(stage);
    stage.proxy.clearRules();
    await stage.link.setMode('forward');
    t.diagnostic(`${outcome.status} ${outcome.code}; backend uploads left: ${lingering.length}`);
    assert.equal(outcome.status, 500, outcome.response);
    assert.equal(outcome.code, 'InternalError');
    assert.ok(stage.warnings.some((w) => w.message === 'could not abort a backend multipart upload'));
    assert.equal(lingering.length, 1, 'the staging upload outlives the failed abort');
    // docs/scale-out.md "Expiry policy": the sweep aborts backend uploads older than the cut-off.
    await stage.store.multipart.expireUploads(Date.now() + 1_000);
    await assertNothingStored(stage, key, before);
    await assertUploadWorks(stage, 'after-link-cut', 4, largeBytes);
  });

  it('answers 503 ServiceUnavailable when Ceph keeps answering 503 SlowDown, storing nothing', async (t) => {
    for (const [name, size, operation] of [
      ['small', 64 * 1024, 'PutObject'],
      ['large', largeBytes, 'UploadPart'],
    ] as const) {
      const key = `slow-down-${name}`;
      const before = await snapshotStage(stage);
      const fault = stage.proxy.addRule({ match: isOperation(operation), action: { kind: 'slow-down' } });
      const outcome = await sendFaultUpload(stage.target, upload('put', key, size, 5));
      stage.proxy.clearRules();
      t.diagnostic(`${name}: ${outcome.status} ${outcome.code} after ${fault.hits()} SlowDowns`);
      // s3-errors.ts maps the backend's 503 to OSS's ServiceUnavailable (503); SlowDown is not relayed.
      assert.equal(outcome.status, 503, outcome.response);
      assert.equal(outcome.code, 'ServiceUnavailable');
      if (name === 'small') assert.equal(fault.hits(), 3, 'the SDK tries 3 times (maxAttempts)');
      await assertNothingStored(stage, key, before);
    }
    await assertUploadWorks(stage, 'after-slow-down', 6);
  });

  it('rides out a single SlowDown on the SDK retry: 200, one callback, the object on Ceph', async () => {
    const fault = stage.proxy.addRule({
      match: isOperation('PutObject', 'slow-once'),
      action: { kind: 'slow-down' },
      times: 1,
    });
    await assertUploadWorks(stage, 'slow-once', 7); // HEAD-after-PUT on Ceph inside
    assert.equal(fault.hits(), 1);
  });

  it('answers 500 and stores nothing when a stalled PutObject’s backend link is cut', async (t) => {
    const key = 'stalled';
    const before = await snapshotStage(stage);
    const held = stage.proxy.addRule({
      match: isOperation('PutObject', key),
      action: { kind: 'delay', ms: 10_000 },
    });
    const pending = sendFaultUpload(stage.target, upload('put', key, 64 * 1024, 8));
    await waitFor(() => held.hits() >= 1, 'the PutObject at the backend');
    // The link is cut well before the backend request timeout (1.9 s) would fire: this is the
    // connection-lost path; the timeout has its own test below.
    await sleep(200);
    await stage.link.setMode('refuse');
    const outcome = await pending;
    stage.proxy.clearRules();
    await stage.link.setMode('forward');
    t.diagnostic(`${outcome.status} ${outcome.code} after ${outcome.elapsedMs} ms`);
    assert.equal(outcome.status, 500, outcome.response);
    assert.equal(outcome.code, 'InternalError');
    await assertNothingStored(stage, key, before);
    await assertUploadWorks(stage, 'after-stall', 9);
  });

  it('answers 503 ServiceUnavailable within seconds when the backend takes 10 s to answer a PutObject', async (t) => {
    const key = 'late';
    const before = await snapshotStage(stage);
    const calls = stage.receiver.connectionCount();
    const held = stage.proxy.addRule({
      match: isOperation('PutObject', key),
      action: { kind: 'delay', ms: 10_000 },
    });
    const outcome = await sendFaultUpload(stage.target, upload('put', key, 64 * 1024, 10), 20_000);
    t.diagnostic(
      `${outcome.status} ${outcome.code ?? ''} after ${outcome.elapsedMs} ms, ${held.hits()} backend attempts`,
    );
    assert.equal(outcome.status, 503, outcome.response);
    assert.equal(outcome.code, 'ServiceUnavailable');
    assert.match(outcome.response, /did not answer in time/);
    // 3 attempts (the SDK retries a timed-out PutObject of a buffered body), each cut after 1.9 s.
    assert.equal(held.hits(), 3);
    assert.ok(outcome.elapsedMs >= 3 * backendRequestTimeoutMs, `${outcome.elapsedMs} ms`);
    assert.ok(outcome.elapsedMs < 10_000, `${outcome.elapsedMs} ms`);
    assert.equal(stage.receiver.connectionCount() - calls, 0, 'no callback');
    // The held requests were abandoned by the gateway, so the proxy forwards none of them later.
    await sleep(500);
    await assertNothingStored(stage, key, before);
    stage.proxy.clearRules();
    await assertUploadWorks(stage, 'after-late', 13);
  });

  it('answers 500 and calls nobody back when the backend answers 200 but drops the object (HEAD after PUT)', async (t) => {
    for (const [name, size, operation] of [
      ['buffered', 64 * 1024, 'PutObject'],
      ['staged', largeBytes, 'CopyObject'],
    ] as const) {
      const key = `dropped-${name}`;
      const before = await snapshotStage(stage);
      const calls = stage.receiver.connectionCount();
      const fault = stage.proxy.addRule({ match: isOperation(operation, key), action: { kind: 'drop' } });
      const outcome = await sendFaultUpload(stage.target, upload('put', key, size, 11));
      stage.proxy.clearRules();
      const callbacks = stage.receiver.connectionCount() - calls;
      const visible = (await headObject(stage.target, key)).status;
      t.diagnostic(
        `${name}: Upcall answered ${outcome.status} ${outcome.code ?? ''}; dropped ${fault.hits()}; ` +
          `callbacks: ${callbacks}; HEAD through Upcall: ${visible}`,
      );
      assert.equal(fault.hits(), 1, `the ${operation} was answered 200 by the proxy and dropped`);
      assert.equal(outcome.status, 500, outcome.response);
      assert.equal(outcome.code, 'InternalError');
      assert.equal(callbacks, 0, 'a callback was sent for an object Ceph dropped');
      assert.equal(visible, 404);
      assert.ok(stage.warnings.some((w) => w.message === 'the backend did not keep a published object'));
      await assertNothingStored(stage, key, before); // the staging object is gone too
    }
    await assertUploadWorks(stage, 'after-drop', 12);
  });
});
