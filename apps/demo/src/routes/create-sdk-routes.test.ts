import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCallbackParam } from '@upcall/protocol';
import { startDemoSystem, type RunningDemoSystem } from '../system/start-demo-system.js';
import { buildSdkCallbackOptions, sdkCallbackBodyTemplate } from './create-sdk-routes.js';

interface SdkClient {
  multipartUpload(
    name: string,
    body: Buffer,
    options: { partSize: number; callback: unknown },
  ): Promise<{ data?: unknown }>;
  put(name: string, body: Buffer): Promise<unknown>;
}

const OSS = createRequire(import.meta.url)('ali-oss') as new (options: object) => SdkClient;

interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  bucket: string;
  keyPrefix: string;
  endpoint: string;
  region: string;
  pathStyle: boolean;
}

describe('demo SDK routes (/api/sts-credentials, /api/sdk-uploads)', () => {
  let system: RunningDemoSystem;
  let dataDir: string;
  let cookie: string;
  let userId: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'upcall-demo-sdk-'));
    system = await startDemoSystem({ dataDir, appPort: 0, storagePort: 0, storageLogLevel: 'silent' });
    const page = await fetch(`${system.appUrl}/sdk`);
    cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
    userId = cookie.slice('demo_uid='.length);
  });
  after(async () => {
    await system.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const call = (path: string, init: RequestInit = {}) => fetch(`${system.appUrl}${path}`, init);

  it('serves the /sdk page with ali-oss’s browser build, under the same CSP as the main page', async () => {
    const response = await call('/sdk', { headers: { cookie } });
    const html = await response.text();
    assert.match(html, /<script src="\/oss-sdk.js"><\/script>\s*<script type="module" src="\/sdk.js">/);
    assert.match(response.headers.get('content-security-policy') ?? '', /script-src 'self';/);
    const sdk = await (await call('/oss-sdk.js')).text();
    assert.ok(sdk.length > 100_000 && sdk.includes('aliyun'), 'the ali-oss dist bundle');
    assert.match(await (await call('/sdk.js')).text(), /api\/sts-credentials/);
  });

  it('issues STS credentials limited to the demo user’s folder, with the storage endpoint', async () => {
    const response = await call('/api/sts-credentials', { headers: { cookie } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const credentials = (await response.json()) as Credentials;
    assert.match(credentials.accessKeyId, /^STS\./);
    assert.equal(credentials.keyPrefix, `uploads/${userId}/`);
    assert.deepEqual(
      [credentials.endpoint, credentials.region, credentials.pathStyle, credentials.bucket],
      [system.connection.endpoint, 'oss-cn-hangzhou', true, 'uploads'],
    );
  });

  it('refuses other origins, requests without the demo user and wrong methods', async () => {
    const crossSite = { cookie, origin: 'http://evil.example' };
    assert.equal((await call('/api/sts-credentials', { headers: crossSite })).status, 403);
    assert.equal((await call('/api/sdk-uploads', { method: 'POST', headers: crossSite })).status, 403);
    assert.equal((await call('/api/sts-credentials')).status, 401);
    assert.equal((await call('/api/sdk-uploads', { method: 'POST' })).status, 401);
    assert.equal((await call('/api/sdk-uploads', { headers: { cookie } })).status, 405);
  });

  it('confirms an SDK multipart upload through the callback it issued, and the policy denies other folders', async () => {
    const credentials = (await (
      await call('/api/sts-credentials', { headers: { cookie } })
    ).json()) as Credentials;
    const upload = (await (
      await call('/api/sdk-uploads', {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ fileName: 'Clip.MP4' }),
      })
    ).json()) as { uploadId: string; key: string; callback: unknown };
    assert.match(upload.key, new RegExp(`^uploads/${userId}/[0-9a-f]{32}\\.mp4$`));
    assert.equal((await system.app.store.get(upload.uploadId))?.status, 'pending');
    // Node's ali-oss on the IP endpoint (it names the bucket in Host); the browser uses sldEnable.
    const client = new OSS({
      region: credentials.region,
      endpoint: credentials.endpoint,
      bucket: credentials.bucket,
      accessKeyId: credentials.accessKeyId,
      accessKeySecret: credentials.accessKeySecret,
      stsToken: credentials.securityToken,
      refreshSTSToken: () => Promise.reject(new Error('not expected within this test')),
    });
    const bytes = Buffer.alloc(250 * 1024, 'sdk-bytes ');
    const result = await client.multipartUpload(upload.key, bytes, {
      partSize: 100 * 1024,
      callback: upload.callback,
    });
    assert.deepEqual(result.data, {
      status: 'confirmed',
      uploadId: upload.uploadId,
      key: upload.key,
      size: bytes.length,
      etag: (await system.app.store.get(upload.uploadId))?.etag,
      mimeType: 'video/mp4',
    });
    await assert.rejects(client.put(`uploads/not-${userId}/x.txt`, Buffer.from('x')), {
      code: 'AccessDenied',
    });
  });

  it('builds callback parameters the server’s own parser accepts, naming the record in x:upload_id', () => {
    const callback = buildSdkCallbackOptions('http://127.0.0.1:3000/api/oss-callback', 'rec-1');
    assert.deepEqual(callback.customValue, { upload_id: 'rec-1' });
    assert.match(sdkCallbackBodyTemplate, /&uploadId=\$\{x:upload_id\}$/);
    const json = {
      callbackUrl: callback.url,
      callbackBody: callback.body,
      callbackBodyType: callback.contentType,
    };
    const parsed = parseCallbackParam(Buffer.from(JSON.stringify(json)).toString('base64'));
    assert.equal(parsed.bodyType, 'application/x-www-form-urlencoded');
    assert.throws(() => buildSdkCallbackOptions('ftp://example.com/cb', 'rec-1'), {
      code: 'InvalidArgument',
    });
  });
});
