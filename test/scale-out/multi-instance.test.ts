// Scale-out, end to end (issue 9, docs/scale-out.md): three `npx upcall server --store s3` processes over
// one Ceph bucket, two demo app instances (apps/demo startDemoApp) sharing their upload records in one
// PostgreSQL schema, 300 uploads of three kinds (forms, multipart through one gateway, multipart whose
// steps hop across gateways), all with signed callbacks, spread over both — and one gateway SIGKILLed
// mid-way. Afterwards every upload that got 200/203 must read back byte-identical through every surviving
// instance, every record must be confirmed once, for exactly the object stored (read from PostgreSQL), and
// no listed object may be partial. Needs S3_ENDPOINT (Ceph RGW) and DATABASE_URL (PostgreSQL).
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
import { startDemoApps, type DemoApps } from './support/demo-apps.js';
import {
  createGatewayClient,
  planUploads,
  runUpload,
  type UploadOutcome,
  type UploadTarget,
} from './support/scale-out-uploads.js';
import { startUpcallInstances, writeCallbackKey, type UpcallInstance } from './support/upcall-instances.js';

const connection = readS3TestConnection();
const databaseUrl = process.env.DATABASE_URL ?? '';
const pgSkipReason =
  'DATABASE_URL is not set: start PostgreSQL with `set -a; eval "$(bash scripts/services/postgres-start.sh)"; set +a`';
const skip = connection === undefined ? s3SkipReason : databaseUrl === '' ? pgSkipReason : false;
const access = { accessKeyId: 'SCALEOUTKEY', accessKeySecret: 'scale-out-shared-secret' };
const keyUrl = 'http://keys.upcall.test/scale-out-callback-key.pem';
const concurrency = 8;
const killedInstance = 2;
const uploadCounts = { form: 200, multipart: 60, 'cross-instance': 40 } as const;
/** About a third of the way in: every kind has run on every instance before and after the crash. */
const killAfter = 110;

/** Runs every upload, `concurrency` at a time, round robin over instances; SIGKILLs one after `killAfter`. */
async function runAll(target: UploadTarget, instances: UpcallInstance[]) {
  const uploads = planUploads(uploadCounts);
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
      const { content } = await client.get(outcome.key);
      assert.ok(content.equals(outcome.upload.body), `${outcome.key} differs`);
    }
  }
}

type Listed = Map<string, { size: number; etag: string }>;

/**
 * Read from PostgreSQL: one record per ticket; every 200 confirmed, and the reply the gateway relayed is
 * the one the confirmation stored (a second confirmation would have replayed it, never re-run it); every
 * confirmed record names a whole stored object with its size and ETag — including uploads whose client
 * lost the answer to the crash after the callback had already been confirmed.
 */
async function assertConfirmedOnce(outcomes: readonly UploadOutcome[], apps: DemoApps, listed: Listed) {
  const rows = new Map((await apps.readRecordRows()).map((row) => [row.id, row]));
  assert.equal(rows.size, outcomes.length, 'one record per ticket');
  for (const outcome of outcomes) {
    const row = rows.get(outcome.recordId);
    assert.ok(row !== undefined, `${outcome.key}: no record`);
    if (outcome.status === 200) {
      assert.equal(row.status, 'confirmed', `${outcome.key} answered 200 but is ${row.status}`);
      assert.deepEqual(JSON.parse(row.replyJson ?? 'null'), outcome.reply, `${outcome.key}: relayed reply`);
      assert.equal((outcome.reply as { uploadId?: unknown }).uploadId, outcome.recordId);
    }
    if (row.status !== 'confirmed') continue;
    const object = listed.get(outcome.key);
    assert.ok(object !== undefined, `${outcome.key} confirmed but not stored`);
    assert.deepEqual(
      [row.objectKey, row.size, row.etag],
      [outcome.key, outcome.upload.body.length, object.etag.replace(/"/g, '')],
      `${outcome.key}: confirmed for another object`,
    );
  }
}

/**
 * Every instance lists the same objects; each is one of the planned uploads, whole. (An upload cut by the
 * crash may be absent or complete — never partial.)
 */
async function assertNoPartialObject(
  outcomes: readonly UploadOutcome[],
  stored: readonly UploadOutcome[],
  survivors: readonly GatewayClient[],
): Promise<Listed> {
  const byKey = new Map(outcomes.map((outcome) => [outcome.key, outcome.upload.body]));
  const listings = await Promise.all(
    survivors.map((client) => client.list({ prefix: 'uploads/', 'max-keys': 1000 })),
  );
  const names = listings.map((listing) => (listing.objects ?? []).map((object) => object.name).sort());
  assert.deepEqual(names[1], names[0]);
  for (const outcome of stored) assert.ok(names[0]?.includes(outcome.key), `${outcome.key} not listed`);
  for (const object of listings[0]?.objects ?? []) {
    const body = byKey.get(object.name);
    assert.ok(body !== undefined, `unexpected object ${object.name}`);
    assert.equal(object.size, body.length, `${object.name} is partial`);
    assert.ok((await survivors[0]!.get(object.name)).content.equals(body), `${object.name} differs`);
  }
  return new Map((listings[0]?.objects ?? []).map((o) => [o.name, { size: o.size, etag: o.etag }]));
}

describe(
  'three gateway instances over one Ceph bucket, two demo apps over one PostgreSQL',
  { skip, timeout: 240_000 },
  () => {
    let dir: string;
    let prefix: string;
    let instances: UpcallInstance[] = [];
    let apps: DemoApps | undefined;

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
      instances = await startUpcallInstances(settings, dir, 3);
      apps = await startDemoApps({
        databaseUrl,
        storageEndpoint: instances[0]!.url,
        ...access,
        callbackKeyUrl: keyUrl,
        callbackKeyPem: publicKeyPem,
        dataDir: dir,
        maxSizeBytes: 8 * 1024 * 1024,
      });
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
        appUrls: apps!.apps.map((app) => app.appUrl),
      };
      const { uploads, outcomes } = await runAll(target, instances);
      const stored = outcomes.filter((o) => o.status === 200 || o.status === 203);
      const failed = outcomes.filter((o) => o.status === 'error');
      t.diagnostic(
        `${stored.length} stored (${stored.filter((o) => o.status === 203).length} with 203), ` +
          `${failed.length} failed with the crash; records in PostgreSQL schema ${apps!.schema}`,
      );
      assert.equal(outcomes.length, uploads.length);
      assert.ok(stored.length >= 200, `only ${stored.length} of ${uploads.length} uploads were stored`);
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
      const listed = await assertNoPartialObject(outcomes, stored, survivors);
      await assertConfirmedOnce(outcomes, apps!, listed);
    });
  },
);
