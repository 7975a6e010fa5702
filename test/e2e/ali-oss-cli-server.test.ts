// Issue acceptance: "the ali-oss suite passes against a server started the way a user starts it". One
// `upcall server --port 0 --data-dir … --access-key-id … --access-key-secret …` child process, its banner
// parsed for the endpoint, driven by the official ali-oss client with V1 and V4 signatures over an IP
// endpoint and path style (oss-protocol §2), upload callbacks verified by a loopback app server with the
// key fetched from x-oss-pub-key-url (§9), and stopped with SIGTERM (exit code 0).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { crc64Ecma } from '@upcall/protocol';
import { exchangeUrl } from '../../packages/server/src/http/testing/http-exchange.js';
import {
  buildTestBytes,
  mib,
} from '../../packages/server/src/operations/multipart/testing/multipart-test-kit.js';
import { findClosedPort } from '../../packages/server/src/operations/post-object/testing/callback-fixture.js';
import {
  startCallbackReceiver,
  type CallbackReceiver,
} from '../../packages/server/src/operations/post-object/testing/callback-receiver.js';
import {
  captureSdkError,
  cliAddressingModes,
  cliSignatureVersions,
  createCliClients,
  type CliAddressingMode,
  type CliClients,
  type CliSignatureVersion,
} from './support/ali-oss-cli-clients.js';
import { startAliOssCliServer, type AliOssCliServer } from './support/ali-oss-cli-server.js';

const accessKeyId = 'UPCCLIALIOSSTEST00000001';
const accessKeySecret = 'cli-ali-oss-secret-000000000000';
/** The bucket `upcall server` creates when no --bucket is given (render-server-help: default uploads). */
const bucket = 'uploads';
const md5Hex = (body: Buffer): string => createHash('md5').update(body).digest('hex').toUpperCase();

/**
 * Both ways the command runs: the development bin (sources through tsx) and the production bundle of
 * `npm run build` (scripts/build.mjs), built here beside the real one so its `require` of native addons
 * resolves from the repository's node_modules exactly as a deployed build does.
 */
const launches = [
  { how: 'the development bin (tsx)', bundled: false },
  { how: 'the production bundle (npm run build)', bundled: true },
] as const;

const execFileAsync = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

async function buildBundleForTest(): Promise<string> {
  const outfile = join(repoRoot, 'packages/cli/dist', `e2e-${process.pid}-${Date.now()}.mjs`);
  await execFileAsync(process.execPath, [join(repoRoot, 'scripts/build.mjs'), outfile], { cwd: repoRoot });
  return outfile;
}

for (const launch of launches) {
  describe(`ali-oss against \`upcall server\` started from the command line: ${launch.how}`, () => {
    let dir = '';
    let script: string | undefined;
    let server: AliOssCliServer | undefined;
    let app: CallbackReceiver;
    let clients: CliClients;

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'upcall-ali-oss-cli-'));
      if (launch.bundled) script = await buildBundleForTest();
      app = await startCallbackReceiver();
      server = await startAliOssCliServer({
        dataDir: join(dir, 'data'),
        accessKeyId,
        accessKeySecret,
        ...(script === undefined ? {} : { script }),
      });
      clients = createCliClients({ port: server.port, bucket, accessKeyId, accessKeySecret });
    });
    after(async () => {
      clients?.close();
      const exit = await server?.stop();
      await app?.close();
      await rm(dir, { recursive: true, force: true });
      if (script !== undefined) {
        for (const suffix of ['', '.map', '.LEGAL.txt']) await rm(`${script}${suffix}`, { force: true });
      }
      assert.deepEqual(
        exit,
        { code: 0, signal: null },
        `SIGTERM ends the server cleanly:\n${server?.output()}`,
      );
    });

    it('prints a banner naming its loopback endpoint, credentials, bucket and callback key URL', () => {
      const banner = server!.banner;
      assert.match(server!.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(server!.port, 0);
      assert.equal(banner.get('access key id'), accessKeyId);
      assert.equal(banner.get('access key secret'), '(given by flag or environment)');
      assert.equal(banner.get('buckets'), `${bucket} (private)`);
      assert.ok(!server!.output().includes(accessKeySecret), 'the secret is never printed');
      assert.match(
        banner.get('callback key URL') ?? '',
        new RegExp(`^${server!.endpoint}/_upcall/\\S+\\.pem`),
      );
    });

    for (const mode of cliAddressingModes) {
      for (const version of cliSignatureVersions) {
        describeCombination(() => ({ clients, app, server: server! }), mode, version);
      }
    }

    it('creates, lists, configures CORS on and deletes a bucket in every mode and version', async () => {
      const combinations = cliAddressingModes.flatMap((mode) =>
        cliSignatureVersions.map((v) => [mode, v] as const),
      );
      for (const [mode, version] of combinations) {
        const client = clients.client(mode, version);
        const name = `cli-bucket-${mode}-${version}`;
        await client.putBucket(name);
        const listed = await client.listBuckets();
        assert.deepEqual(listed.buckets?.map((b) => b.name).sort(), [name, bucket].sort());
        await client.putBucketCORS(name, [
          { allowedOrigin: 'https://app.example', allowedMethod: ['PUT', 'GET'], maxAgeSeconds: 60 },
        ]);
        const cors = await client.getBucketCORS(name);
        assert.deepEqual(cors.rules, [
          { allowedOrigin: 'https://app.example', allowedMethod: ['PUT', 'GET'], maxAgeSeconds: '60' },
        ]);
        await client.deleteBucket(name);
        assert.ok(!(await client.listBuckets()).buckets?.some((b) => b.name === name));
        const gone = await captureSdkError(client.getBucketCORS(name));
        assert.deepEqual([gone.code, gone.status], ['NoSuchBucket', 404]);
      }
    });
  });
}

interface Context {
  readonly clients: CliClients;
  readonly app: CallbackReceiver;
  readonly server: AliOssCliServer;
}

function describeCombination(
  context: () => Context,
  mode: CliAddressingMode,
  version: CliSignatureVersion,
): void {
  const label = `${mode}, ${version.toUpperCase()}`;
  const prefix = `${mode}-${version}/`;

  it(`puts, reads (range, head, meta), copies, lists, pages and deletes objects [${label}]`, async () => {
    const client = context().clients.client(mode, version);
    const key = `${prefix}docs/hello wörld+1.txt`;
    const put = await client.put(key, Buffer.from('hi oss'), { meta: { author: 'alice' } });
    assert.equal(put.res.headers.etag, '"B22E0DC370A7F7067FACF5F75D7FA385"');
    assert.equal(put.res.headers['x-oss-hash-crc64ecma'], '8707180448768400016');
    const range = await client.get(key, null, { headers: { Range: 'bytes=1-3' } });
    assert.deepEqual([range.res.status, range.content.toString()], [206, 'i o']);
    assert.equal((await client.head(key)).res.headers['x-oss-meta-author'], 'alice');
    const meta = await client.getObjectMeta(key);
    assert.deepEqual(
      [meta.res.headers.etag, meta.res.headers['content-length']],
      [put.res.headers.etag, '6'],
    );
    const copied = await client.copy(`${prefix}docs/copy.txt`, key);
    assert.equal(copied.data?.etag, put.res.headers.etag);
    const names = ['a.txt', 'b&c.txt', 'sub/x.txt', 'z.txt'].map((name) => `${prefix}list/${name}`);
    for (const name of names) await client.put(name, Buffer.from(name));
    assert.deepEqual((await client.list({ prefix: `${prefix}list/`, delimiter: '/' })).prefixes, [
      `${prefix}list/sub/`,
    ]);
    const seen: string[] = [];
    let token: string | null | undefined;
    do {
      const page = await client.listV2({
        prefix: `${prefix}list/`,
        'max-keys': 3,
        ...(token ? { 'continuation-token': token } : {}),
      });
      seen.push(...(page.objects ?? []).map((o) => o.name));
      token = page.isTruncated ? page.nextContinuationToken : undefined;
    } while (token);
    assert.deepEqual(seen, names);
    const deleted = await client.deleteMulti([...names, `${prefix}docs/copy.txt`]);
    assert.equal(deleted.deleted.length, names.length + 1);
    await client.delete(key);
    assert.deepEqual((await client.list({ prefix })).objects ?? [], []);
    const gone = await captureSdkError(client.get(key));
    assert.deepEqual([gone.code, gone.status], ['NoSuchKey', 404]);
  });

  it(`streams a callback upload with customValue, and answers CallbackFailed 203 keeping the object [${label}]`, async () => {
    const client = context().clients.client(mode, version);
    const app = context().app;
    const before = app.received.length;
    const key = `${prefix}cb/photo.bin`;
    const body = Buffer.alloc(200 * 1024, 'stream-');
    const put = await client.putStream(key, Readable.from([body.subarray(0, 1000), body.subarray(1000)]), {
      callback: {
        url: `${app.url}/notify`,
        body: 'bucket=${bucket}&object=${object}&size=${size}&op=${operation}&uid=${x:uid}',
        customValue: { uid: '42' },
      },
    });
    assert.deepEqual(put.data, { Status: 'OK' });
    const call = app.received[before];
    assert.equal(call?.signatureVerified, true, 'signed with the key served at x-oss-pub-key-url');
    assert.equal(call.publicKeyUrl, context().server.banner.get('callback key URL')?.split(' ')[0]);
    const fields = Object.fromEntries(new URLSearchParams(call.body.toString()));
    assert.deepEqual(fields, { bucket, object: key, size: String(body.length), op: 'PutObject', uid: '42' });
    assert.ok((await client.get(key)).content.equals(body));
    const failedKey = `${prefix}cb/failed.txt`;
    const closed = await findClosedPort();
    const failed = await captureSdkError(
      client.put(failedKey, Buffer.from('x'), {
        callback: { url: `http://127.0.0.1:${closed}/cb`, body: 'object=${object}' },
      }),
    );
    assert.deepEqual(
      [failed.name, failed.code, failed.status],
      ['CallbackFailedError', 'CallbackFailed', 203],
    );
    assert.equal((await client.get(failedKey)).content.toString(), 'x', 'the object stays stored');
  });

  it(`uploads 6 MiB in parallel parts with progress and a verified callback, lists and aborts [${label}]`, async () => {
    const client = context().clients.client(mode, version);
    const app = context().app;
    const before = app.received.length;
    const key = `${prefix}mp/movie & notes.bin`;
    const bytes = buildTestBytes(6 * mib + 4321, version === 'v1' ? 3 : 4);
    const progress: number[] = [];
    const done = await client.multipartUpload(key, bytes, {
      parallel: 2,
      partSize: mib,
      progress: (fraction) => void progress.push(fraction),
      callback: {
        url: `${app.url}/mp`,
        body: 'object=${object}&size=${size}&v=${x:v}',
        customValue: { v: 'mp' },
      },
    });
    assert.deepEqual(done.data, { Status: 'OK' });
    assert.match(done.etag, /^"[0-9A-F]{32}-7"$/);
    assert.equal(progress.at(-1), 1);
    assert.ok(progress.length >= 7, `progress per part: ${progress.length}`);
    const call = app.received[before];
    assert.equal(call?.signatureVerified, true);
    assert.equal(call.body.toString(), `object=${encodeURIComponent(key)}&size=${bytes.length}&v=mp`);
    const got = await client.get(key);
    assert.ok(got.content.equals(bytes));
    assert.equal(got.res.headers['x-oss-hash-crc64ecma'], crc64Ecma(bytes));

    const open = await client.initMultipartUpload(`${prefix}mp/open.bin`);
    const part = await client.uploadPart(`${prefix}mp/open.bin`, open.uploadId, 1, bytes, 0, 200 * 1024);
    const parts = await client.listParts(`${prefix}mp/open.bin`, open.uploadId);
    assert.deepEqual(
      [parts.parts].flat().map((p) => [p.PartNumber, p.ETag]),
      [['1', part.etag]],
    );
    const uploads = await client.listUploads({ prefix: `${prefix}mp/` });
    assert.deepEqual(
      uploads.uploads.map((u) => u.uploadId),
      [open.uploadId],
    );
    assert.equal((await client.abortMultipartUpload(`${prefix}mp/open.bin`, open.uploadId)).res.status, 204);
    assert.deepEqual((await client.listUploads({ prefix: `${prefix}mp/` })).uploads, []);
  });

  it(`serves presigned URLs: V1 GET and PUT with a callback, V4 GET [${label}]`, async () => {
    const { clients, app, server } = context();
    const client = clients.client(mode, version);
    const port = server.port;
    const host: Record<string, string> = mode === 'ip-endpoint' ? { host: clients.virtualHost(bucket) } : {};
    const key = `${prefix}signed/report.txt`;
    await client.put(key, Buffer.from('signed body'));
    const v4 = await exchangeUrl(port, await client.signatureUrlV4('GET', 300, { headers: {} }, key), {
      headers: host,
    });
    assert.deepEqual([v4.status, v4.body], [200, 'signed body']);
    // ali-oss refuses to presign V1 URLs for an IP endpoint ("can not get the object URL when endpoint is IP").
    if (mode === 'ip-endpoint') return;
    const putUrl = client.signatureUrl(`${prefix}signed/put.txt`, {
      method: 'PUT',
      expires: 300,
      'Content-Type': 'text/plain',
      callback: { url: `${app.url}/signed`, body: 'object=${object}&etag=${etag}' },
    });
    const body = 'presigned put';
    const put = await exchangeUrl(port, putUrl, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body,
    });
    assert.deepEqual([put.status, put.body], [200, '{"Status":"OK"}']);
    assert.equal(app.received.at(-1)?.signatureVerified, true);
    const get = await exchangeUrl(port, client.signatureUrl(`${prefix}signed/put.txt`, { expires: 300 }));
    assert.deepEqual([get.status, get.body], [200, body]);
    assert.equal(get.headers.etag, `"${md5Hex(Buffer.from(body))}"`);
    // A URL whose Expires is already past (negative lifetime) is refused (§6.2).
    const expired = await exchangeUrl(port, client.signatureUrl(key, { expires: -60 }));
    assert.equal(expired.status, 403);
    assert.match(expired.body, /<Code>AccessDenied<\/Code>/);
  });

  it(`surfaces NoSuchKey, NoSuchBucket and SignatureDoesNotMatch to the SDK [${label}]`, async () => {
    const { clients } = context();
    const missing = await captureSdkError(clients.client(mode, version).get(`${prefix}absent`));
    assert.deepEqual([missing.code, missing.status], ['NoSuchKey', 404]);
    const noBucket = await captureSdkError(
      clients.client(mode, version, { bucket: 'no-such-bucket' }).get('k'),
    );
    assert.deepEqual([noBucket.code, noBucket.status], ['NoSuchBucket', 404]);
    const wrong = clients.client(mode, version, { accessKeySecret: 'not-the-secret' });
    const mismatch = await captureSdkError(wrong.get(`${prefix}absent`));
    assert.deepEqual([mismatch.code, mismatch.status], ['SignatureDoesNotMatch', 403]);
  });
}
