// Scale-out, end to end (docs/scale-out.md): three `npx upcall server --store s3` processes over one Ceph
// bucket, app instances confirming uploads in one record store, ~100 uploads of three kinds spread over the
// gateways — and one gateway SIGKILLed mid-way. Afterwards every upload that got 200/203 must read back
// byte-identical through every surviving instance, each record must have been confirmed exactly once, and
// no listed object may be partial. Needs S3_ENDPOINT (Ceph RGW); PostgreSQL (DATABASE_URL) when available.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestS3Client,
  deleteBackendBuckets,
  newTestBucketPrefix,
  readS3TestConnection,
  s3SkipReason,
} from '../../packages/server/src/store/s3-test-backend.js';
import { startCallbackApps, type CallbackApps } from './support/callback-apps.js';
import {
  createGatewayClient,
  planUploads,
  runUpload,
  type PlannedUpload,
  type UploadOutcome,
  type UploadTarget,
} from './support/scale-out-uploads.js';
import { startUpcallInstances, writeCallbackKey, type UpcallInstance } from './support/upcall-instances.js';

const connection = readS3TestConnection();
const skip = connection === undefined ? s3SkipReason : false;
const access = { accessKeyId: 'SCALEOUTKEY', accessKeySecret: 'scale-out-shared-secret' };
const keyUrl = 'http://keys.upcall.test/scale-out-callback-key.pem';
const concurrency = 8;
const killedInstance = 2;

/** Runs every upload, `concurrency` at a time, round robin over instances; SIGKILLs one after `killAfter`. */
async function runAll(target: UploadTarget, instances: UpcallInstance[], killAfter: number) {
  const uploads = planUploads({ form: 66, multipart: 18, 'cross-instance': 12 });
  const outcomes: UploadOutcome[] = [];
  let next = 0;
  let killing: Promise<void> | undefined;
  const worker = async (): Promise<void> => {
    while (next < uploads.length) {
      const upload = uploads[next]!;
      next += 1;
      const first = upload.index % instances.length;
      const route = upload.kind === 'cross-instance' ? [first, (first + 1) % 3, (first + 2) % 3] : [first];
      outcomes.push(await runUpload(upload, target, route));
      if (outcomes.length === killAfter) killing = instances[killedInstance]!.kill();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await killing;
  return { uploads, outcomes };
}

type GatewayClient = ReturnType<typeof createGatewayClient>;

/** Every upload that got 200/203 reads back byte-identical through every surviving instance. */
async function assertReadableEverywhere(
  stored: readonly UploadOutcome[],
  survivors: readonly GatewayClient[],
) {
  for (const outcome of stored) {
    for (const client of survivors) {
      const { content } = await client.get(outcome.upload.key);
      assert.ok(content.equals(outcome.upload.body), `${outcome.upload.key} differs`);
    }
  }
}

/** No record was confirmed twice; every 200 was confirmed exactly once, in the shared record store. */
async function assertConfirmedOnce(outcomes: readonly UploadOutcome[], apps: CallbackApps) {
  for (const outcome of outcomes) {
    const confirmed = apps.confirmations.get(outcome.recordId) ?? 0;
    assert.ok(confirmed <= 1, `${outcome.upload.key} confirmed ${confirmed} times`);
    if (outcome.status !== 200) continue;
    assert.equal(confirmed, 1, `${outcome.upload.key} answered 200 but was not confirmed`);
    assert.equal((await apps.store.get(outcome.recordId))?.status, 'confirmed');
  }
}

/**
 * Every instance lists the same objects; each is one of the planned uploads, whole. (An upload cut by the
 * crash may be absent or complete — never partial.)
 */
async function assertNoPartialObject(
  uploads: readonly PlannedUpload[],
  stored: readonly UploadOutcome[],
  survivors: readonly GatewayClient[],
) {
  const byKey = new Map(uploads.map((upload) => [upload.key, upload.body]));
  const listings = await Promise.all(
    survivors.map((client) => client.list({ prefix: 'scale/', 'max-keys': 1000 })),
  );
  const names = listings.map((listing) => (listing.objects ?? []).map((object) => object.name).sort());
  assert.deepEqual(names[1], names[0]);
  for (const outcome of stored)
    assert.ok(names[0]?.includes(outcome.upload.key), `${outcome.upload.key} not listed`);
  for (const object of listings[0]?.objects ?? []) {
    const body = byKey.get(object.name);
    assert.ok(body !== undefined, `unexpected object ${object.name}`);
    assert.equal(object.size, body.length, `${object.name} is partial`);
    assert.ok((await survivors[0]!.get(object.name)).content.equals(body), `${object.name} differs`);
  }
}

describe('three gateway instances over one Ceph bucket', { skip, timeout: 120_000 }, () => {
  let dir: string;
  let prefix: string;
  let instances: UpcallInstance[] = [];
  let apps: CallbackApps | undefined;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'upcall-scale-out-'));
    prefix = newTestBucketPrefix();
    const callbackKeyFile = join(dir, 'callback-key.pem');
    const publicKeyPem = await writeCallbackKey(callbackKeyFile);
    const settings = {
      backend: connection!,
      bucketMap: `uploads=${prefix}uploads`,
      ...access,
      callbackKeyFile,
      callbackKeyUrl: keyUrl,
    };
    [instances, apps] = await Promise.all([
      startUpcallInstances(settings, dir, 3),
      startCallbackApps(keyUrl, publicKeyPem),
    ]);
  });

  after(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await apps?.close();
    const client = createTestS3Client();
    if (client !== undefined) await deleteBackendBuckets(client, prefix).finally(() => client.destroy());
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged upload whole, confirmed once and readable everywhere after a SIGKILL', async (t) => {
    const target: UploadTarget = {
      urls: instances.map((instance) => instance.url),
      ...access,
      callbackUrls: apps!.urls,
      records: apps!.store,
    };
    const { uploads, outcomes } = await runAll(target, instances, 36);
    const stored = outcomes.filter((o) => o.status === 200 || o.status === 203);
    const failed = outcomes.filter((o) => o.status === 'error');
    t.diagnostic(
      `${stored.length} stored, ${failed.length} failed with the crash; records in ${apps!.storeKind}`,
    );
    assert.equal(outcomes.length, uploads.length);
    assert.ok(stored.length >= 60, `only ${stored.length} of ${uploads.length} uploads were stored`);
    assert.ok(failed.length > 0, 'uploads routed to the killed instance after the crash must fail');
    assert.ok(
      failed.every((o) => o.instances.includes(killedInstance)),
      'only uploads through the killed instance may fail',
    );
    for (const i of [0, 1, 2])
      assert.ok(
        stored.some((o) => o.instances[0] === i),
        `instance ${i} stored nothing`,
      );
    const survivors = instances
      .filter((_, i) => i !== killedInstance)
      .map((instance) => createGatewayClient(instance.url, access));
    await assertReadableEverywhere(stored, survivors);
    await assertConfirmedOnce(outcomes, apps!);
    await assertNoPartialObject(uploads, stored, survivors);
  });
});
