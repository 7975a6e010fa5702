import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startDemoSystem, type RunningDemoSystem } from './system/start-demo-system.js';

const limits = { maxSizeBytes: 1234567, allowedContentTypes: ['image/png', 'text/plain'] };

describe('demo app routes', () => {
  let system: RunningDemoSystem;
  let dataDir: string;
  let cookie: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'upcall-demo-'));
    system = await startDemoSystem({
      dataDir,
      appPort: 0,
      storagePort: 0,
      storageLogLevel: 'silent',
      limits,
    });
    const page = await fetch(system.appUrl);
    cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
  });
  after(async () => {
    await system.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const post = (path: string, headers: Record<string, string>, body = '{}') =>
    fetch(`${system.appUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  it('sets an HttpOnly, SameSite=Strict demo_uid cookie on the first page load only', async () => {
    assert.match(cookie, /^demo_uid=[A-Za-z0-9_-]{22}$/);
    const first = await fetch(system.appUrl);
    assert.match(first.headers.get('set-cookie') ?? '', /HttpOnly; SameSite=Strict/);
    const again = await fetch(system.appUrl, { headers: { cookie } });
    assert.equal(again.headers.get('set-cookie'), null);
  });

  it('shows the limits the tickets sign, under a CSP that allows only this origin and storage', async () => {
    const response = await fetch(system.appUrl, { headers: { cookie } });
    const html = await response.text();
    assert.match(html, /Up to <strong>1.2 MiB<\/strong> per file/);
    assert.match(html, /<code>image\/png<\/code>, <code>text\/plain<\/code>/);
    assert.match(html, /accept="image\/png,text\/plain"/);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self';/);
    assert.ok(csp.includes(`connect-src 'self' ${system.connection.endpoint}`));
    const ticket = (await (await post('/api/tickets', { cookie }, '{"fileName":"a.png"}')).json()) as Record<
      string,
      unknown
    >;
    assert.equal(ticket.maxSizeBytes, limits.maxSizeBytes);
    assert.deepEqual(ticket.allowedContentTypes, limits.allowedContentTypes);
  });

  it('serves the page script as one bundle with no bare imports left', async () => {
    const response = await fetch(`${system.appUrl}/app.js`);
    assert.equal(response.headers.get('content-type'), 'text/javascript; charset=utf-8');
    const script = await response.text();
    assert.ok(script.includes('createUploadQueue'));
    assert.doesNotMatch(script, /\bfrom\s*["']@upcall\//);
    assert.doesNotMatch(script, /\bimport\s*\(/);
  });

  it('issues tickets for the cookie user under their own prefix, signed for the local storage', async () => {
    const response = await post(
      '/api/tickets',
      { cookie, origin: system.appUrl },
      '{"fileName":"photo.PNG","size":5}',
    );
    assert.equal(response.status, 200);
    const ticket = (await response.json()) as { host: string; key: string; fields: Record<string, string> };
    assert.equal(ticket.host, `${system.connection.endpoint}/uploads`);
    const userId = cookie.slice('demo_uid='.length);
    assert.match(ticket.key, new RegExp(`^uploads/${userId}/[0-9a-f]{32}\\.png$`));
    assert.ok(Buffer.from(ticket.fields.callback!, 'base64').toString().includes(system.app.callbackUrl));
  });

  it('refuses tickets without the cookie (401) and from another origin (403)', async () => {
    assert.equal((await post('/api/tickets', {})).status, 401);
    assert.equal((await post('/api/tickets', { cookie, origin: 'http://evil.example' })).status, 403);
    assert.equal((await post('/api/tickets', { cookie: 'demo_uid=../../x' })).status, 401);
  });

  it('refuses reconcile from another origin and without the cookie', async () => {
    assert.equal((await post('/api/reconcile', { cookie, origin: 'http://evil.example' })).status, 403);
    assert.equal((await post('/api/reconcile', { 'sec-fetch-site': 'cross-site', cookie })).status, 403);
    assert.equal((await post('/api/reconcile', {})).status, 401);
    assert.equal((await fetch(`${system.appUrl}/api/reconcile`, { headers: { cookie } })).status, 405);
  });

  it('refuses an unsigned callback without touching any record', async () => {
    const response = await fetch(`${system.appUrl}/api/oss-callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'bucket=uploads&object=x&uploadId=y',
    });
    assert.equal(response.status, 403);
    assert.deepEqual(await response.json(), { error: 'missing-signature' });
  });

  it('answers the records and thumbnail routes only for a cookie user', async () => {
    assert.equal((await fetch(`${system.appUrl}/api/uploads`)).status, 401);
    assert.equal((await fetch(`${system.appUrl}/api/thumbnail-url?id=x`)).status, 401);
    assert.equal((await fetch(`${system.appUrl}/api/thumbnail-url`, { headers: { cookie } })).status, 400);
    assert.equal(
      (await fetch(`${system.appUrl}/api/thumbnail-url?id=nope`, { headers: { cookie } })).status,
      404,
    );
  });

  it('answers only to its own host names (DNS rebinding)', async () => {
    const { port } = new URL(system.appUrl);
    const statusFor = (host: string) =>
      new Promise<number>((resolve, reject) => {
        request(system.appUrl, { headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
    assert.equal(await statusFor(`evil.example:${port}`), 421);
    assert.equal(await statusFor(`localhost:${port}`), 200);
    assert.equal(await statusFor(`127.0.0.1:${port}`), 200);
  });

  it('answers unknown paths with 404', async () => {
    const response = await fetch(`${system.appUrl}/api/nothing-here`);
    assert.equal(response.status, 404);
    assert.equal((await fetch(`${system.appUrl}//evil.example/`)).status, 404);
  });
});
