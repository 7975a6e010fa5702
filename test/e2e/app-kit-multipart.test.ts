// app-kit's presigned multipart against Upcall's real storage server: the app initiates under the user's
// prefix, signs UploadPart URLs only for that upload and part numbers, lists parts, completes with the
// callback pinned server-side (the record is confirmed once by the ordinary callback handler), aborts.
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readMultipartAppData } from '@upcall/app-kit';
import { startAppKitStorage, type AppKitStorage } from './support/app-kit-storage.js';
import { buildPatternBytes, startMultipartApp, type MultipartApp } from './support/multipart-app.js';

const partBytes = 100 * 1024;

function md5(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('hex').toUpperCase();
}

interface Started {
  readonly uploadId: string;
  readonly key: string;
}

async function start(app: MultipartApp, user: string, size: number): Promise<Started> {
  const { status, json } = await app.post(user, 'start', {
    fileName: 'movie.MP4',
    size,
    contentType: 'video/mp4',
  });
  assert.equal(status, 200, JSON.stringify(json));
  return json as unknown as Started;
}

async function putParts(app: MultipartApp, user: string, uploadId: string, bytes: Buffer) {
  const count = Math.ceil(bytes.length / partBytes);
  const partNumbers = Array.from({ length: count }, (_, i) => i + 1);
  const signed = await app.post(user, 'sign-parts', { uploadId, partNumbers });
  assert.equal(signed.status, 200, JSON.stringify(signed.json));
  const urls = signed.json.urls as Array<{ partNumber: number; url: string }>;
  const parts = [];
  for (const { partNumber, url } of urls) {
    const body = bytes.subarray((partNumber - 1) * partBytes, partNumber * partBytes);
    const response = await fetch(url, { method: 'PUT', body: Uint8Array.from(body) });
    assert.equal(response.status, 200, await response.text());
    parts.push({ partNumber, etag: (response.headers.get('etag') ?? '').replaceAll('"', '') });
  }
  return { parts, urls };
}

describe('app-kit presigned multipart with Upcall storage', () => {
  let storage: AppKitStorage;
  let app: MultipartApp;
  before(async () => {
    storage = await startAppKitStorage();
    app = await startMultipartApp(storage, { maxSizeBytes: 1024 * 1024 });
  });
  after(async () => {
    await app?.stop();
    await storage?.stop();
  });

  it('starts an upload under the user prefix and records it pending with the OSS upload id in appData', async () => {
    const started = await start(app, 'alice', 250_000);
    assert.match(started.key, /^uploads\/alice\/[0-9a-f]{32}\.mp4$/);
    const record = await app.store.get(started.uploadId);
    assert.equal(record?.status, 'pending');
    assert.equal(record?.userId, 'alice');
    assert.equal(record?.key, started.key);
    const info = readMultipartAppData(record?.appData ?? null);
    assert.equal(info?.contentType, 'video/mp4');
    assert.equal(JSON.parse(record?.appData ?? '{}').fileName, 'movie.MP4');
    assert.ok(info !== undefined && info.ossUploadId.length > 0);
  });

  it('completes with the pinned callback: relays the reply, confirms the record once, stores the bytes', async () => {
    const bytes = buildPatternBytes(250_000);
    const { uploadId, key } = await start(app, 'alice', bytes.length);
    const { parts } = await putParts(app, 'alice', uploadId, bytes);
    const listed = await app.post('alice', 'list-parts', { uploadId });
    assert.deepEqual(
      (listed.json.parts as Array<{ partNumber: number; size: number }>).map((p) => [p.partNumber, p.size]),
      [
        [1, partBytes],
        [2, partBytes],
        [3, bytes.length - 2 * partBytes],
      ],
    );

    const completed = await app.post('alice', 'complete', { uploadId, parts });

    assert.equal(completed.status, 200, JSON.stringify(completed.json));
    assert.equal(completed.json.httpStatus, 200, String(completed.json.bodyText));
    assert.deepEqual(JSON.parse(String(completed.json.bodyText)), { status: 'confirmed', uploadId, key });
    const record = await app.store.get(uploadId);
    assert.equal(record?.status, 'confirmed');
    assert.equal(record?.size, bytes.length);
    assert.equal(record?.mimeType, 'video/mp4');
    assert.match(record?.etag ?? '', /^[0-9A-F]{32}-3$/);
    assert.equal(md5((await storage.readObject(key))!), md5(bytes));
    const again = await app.post('alice', 'complete', { uploadId, parts });
    assert.deepEqual([again.status, again.json.error], [409, 'not-pending']);
  });

  it("answers another user's upload id like an unknown one, for every step", async () => {
    const { uploadId } = await start(app, 'alice', 150_000);
    for (const [path, body] of [
      ['sign-parts', { uploadId, partNumbers: [1] }],
      ['list-parts', { uploadId }],
      ['complete', { uploadId, parts: [{ partNumber: 1, etag: 'A'.repeat(32) }] }],
      ['abort', { uploadId }],
    ] as const) {
      const answer = await app.post('mallory', path, body);
      assert.deepEqual([answer.status, answer.json.error], [404, 'not-found'], path);
    }
    const unknown = await app.post('alice', 'sign-parts', { uploadId: 'no-such-id', partNumbers: [1] });
    assert.equal(unknown.status, 404);
  });

  it('signs URLs that work only for their own part number and upload', async () => {
    const bytes = buildPatternBytes(partBytes);
    const { uploadId } = await start(app, 'alice', bytes.length);
    const signed = await app.post('alice', 'sign-parts', { uploadId, partNumbers: [1] });
    const url = new URL((signed.json.urls as Array<{ url: string }>)[0]!.url);
    assert.equal(url.searchParams.get('partNumber'), '1');
    assert.ok(Number(url.searchParams.get('x-oss-expires')) <= 900);
    url.searchParams.set('partNumber', '2');
    const forged = await fetch(url, { method: 'PUT', body: Uint8Array.from(bytes) });
    assert.equal(forged.status, 403);
    assert.match(await forged.text(), /SignatureDoesNotMatch/);
    for (const partNumbers of [[0], [10_001], [1.5], []]) {
      const answer = await app.post('alice', 'sign-parts', { uploadId, partNumbers });
      assert.equal(answer.status, 400, JSON.stringify(partNumbers));
    }
  });

  it('refuses a part list that storage does not hold, and parts adding up to more than the limit', async () => {
    const bytes = buildPatternBytes(250_000);
    const { uploadId } = await start(app, 'alice', bytes.length);
    const { parts } = await putParts(app, 'alice', uploadId, bytes);
    const wrong = await app.post('alice', 'complete', {
      uploadId,
      parts: parts.map((p) => (p.partNumber === 2 ? { ...p, etag: 'B'.repeat(32) } : p)),
    });
    assert.deepEqual([wrong.status, wrong.json.error], [400, 'bad-request']);
    const unordered = await app.post('alice', 'complete', { uploadId, parts: [...parts].reverse() });
    assert.equal(unordered.status, 400);

    const big = buildPatternBytes(1024 * 1024 + 1, 9);
    const second = await start(app, 'alice', 1000); // the announced size is within the limit…
    const uploaded = await putParts(app, 'alice', second.uploadId, big); // …the parts are not
    const tooLarge = await app.post('alice', 'complete', {
      uploadId: second.uploadId,
      parts: uploaded.parts,
    });
    assert.deepEqual([tooLarge.status, tooLarge.json.error], [413, 'too-large']);
    const listed = await app.post('alice', 'list-parts', { uploadId: second.uploadId });
    assert.equal(listed.status, 404, 'the oversized upload was aborted in storage');
  });

  it('refuses sizes and content types outside the limits, anonymous and cross-site callers', async () => {
    assert.equal((await app.post('alice', 'start', { size: 2 * 1024 * 1024 })).status, 413);
    assert.equal((await app.post('alice', 'start', { size: 0 })).status, 400);
    assert.equal((await app.post('alice', 'start', { size: 10, contentType: 'not a type' })).status, 400);
    const anonymous = await fetch(`${app.url}/mp/start`, { method: 'POST', body: '{"size":10}' });
    assert.equal(anonymous.status, 401);
    const crossSite = await fetch(`${app.url}/mp/start`, {
      method: 'POST',
      headers: { cookie: 'user=alice', origin: 'http://evil.example' },
      body: '{"size":10}',
    });
    assert.equal(crossSite.status, 403, 'a cross-site page cannot start uploads with the user cookie');
    const get = await fetch(`${app.url}/mp/sign-parts`, { headers: { cookie: 'user=alice' } });
    assert.equal(get.status, 405);
  });

  it('aborts: storage drops the upload, and its id can no longer be listed', async () => {
    const bytes = buildPatternBytes(150_000);
    const { uploadId } = await start(app, 'alice', bytes.length);
    await putParts(app, 'alice', uploadId, bytes);
    const aborted = await app.post('alice', 'abort', { uploadId });
    assert.deepEqual([aborted.status, aborted.json], [200, { aborted: true }]);
    const listed = await app.post('alice', 'list-parts', { uploadId });
    assert.deepEqual([listed.status, listed.json.error], [404, 'not-found']);
  });

  describe('when the callback cannot be delivered', () => {
    let deadApp: MultipartApp;
    before(async () => {
      deadApp = await startMultipartApp(storage, { callbackUrl: 'http://127.0.0.1:9/dead' });
    });
    after(() => deadApp?.stop());

    it('relays 203 CallbackFailed: the object is stored, the record stays pending', async () => {
      const bytes = buildPatternBytes(150_000, 3);
      const { uploadId, key } = await start(deadApp, 'bob', bytes.length);
      const { parts } = await putParts(deadApp, 'bob', uploadId, bytes);
      const completed = await deadApp.post('bob', 'complete', { uploadId, parts });
      assert.equal(completed.status, 200);
      assert.equal(completed.json.httpStatus, 203);
      assert.match(String(completed.json.bodyText), /CallbackFailed/);
      assert.equal((await deadApp.store.get(uploadId))?.status, 'pending');
      assert.equal(md5((await storage.readObject(key))!), md5(bytes));
    });
  });
});
