import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestServer } from '../http/testing/start-test-server.js';
import { exchangeUrl } from '../http/testing/http-exchange.js';
import {
  createAliOssClient,
  type AliOssClient,
  type AliOssError,
} from '../http/testing/create-ali-oss-client.js';
import {
  buildPrefixPolicy,
  createAliOssSts,
  startStsTestServer,
  testRoleArn,
  type StsCredentials,
} from './testing/sts-test-kit.js';

interface Checkpoint {
  readonly uploadId: string;
  readonly doneParts: ReadonlyArray<{ number: number; etag: string }>;
}

/** ali-oss's managed upload with checkpoints (lib/managed-upload.js) and cancel (lib/common/parallel.js). */
interface AliOssResumableClient extends AliOssClient {
  multipartUpload(
    name: string,
    file: string,
    options: {
      partSize: number;
      parallel: number;
      checkpoint?: Checkpoint;
      progress: (fraction: number, checkpoint: Checkpoint | undefined) => void;
    },
  ): Promise<{ res: { status: number } }>;
  cancel(): void;
}

const mib = 1024 * 1024;

function stsClient(
  server: TestServer,
  credentials: StsCredentials,
  v4 = false,
  endpoint = server.url,
): AliOssResumableClient {
  return createAliOssClient({
    endpoint,
    bucket: 'uploads',
    accessKeyId: credentials.AccessKeyId,
    accessKeySecret: credentials.AccessKeySecret,
    stsToken: credentials.SecurityToken,
    ...(v4 ? { authorizationV4: true, region: 'cn-hangzhou' } : {}),
  }) as AliOssResumableClient;
}

function assertOssCode(code: string, status = 403): (error: AliOssError) => boolean {
  return (error) => {
    assert.equal(error.code, code);
    assert.equal(error.status, status);
    return true;
  };
}

/** Deterministic, non-repeating bytes (a repeated pattern would hide a misplaced part). */
function buildBytes(size: number): Buffer {
  const out = Buffer.alloc(size);
  let block = createHash('sha256').update('seed').digest();
  for (let offset = 0; offset < size; offset += block.length) {
    block.copy(out, offset);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

describe('ali-oss OSS.STS and STS credentials against a running server', () => {
  let server: TestServer;
  let credentials: StsCredentials;
  let dir: string;
  before(async () => {
    server = await startStsTestServer();
    dir = await mkdtemp(join(tmpdir(), 'upcall-sts-'));
    const sts = createAliOssSts(server);
    ({ credentials } = await sts.assumeRole(
      testRoleArn,
      buildPrefixPolicy('uploads', 'users/42/'),
      900,
      'user-42',
    ));
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('returns credentials in the STS shape from ali-oss assumeRole', () => {
    assert.match(credentials.AccessKeyId, /^STS\.[A-Za-z0-9]{24}$/);
    assert.ok(credentials.AccessKeySecret.length >= 30);
    assert.ok(credentials.SecurityToken.length > 50);
    assert.match(credentials.Expiration, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const leftMs = Date.parse(credentials.Expiration) - Date.now();
    assert.ok(leftMs > 850_000 && leftMs <= 900_000, `${leftMs}`);
  });

  for (const v4 of [false, true]) {
    it(`puts and gets inside the granted prefix and is refused outside it (${v4 ? 'V4' : 'V1'})`, async () => {
      const client = stsClient(server, credentials, v4);
      await client.put('users/42/note.txt', Buffer.from('hello'));
      assert.equal((await client.get('users/42/note.txt')).content.toString(), 'hello');
      await assert.rejects(client.put('users/43/note.txt', Buffer.from('x')), assertOssCode('AccessDenied'));
      await assert.rejects(client.put('users/42', Buffer.from('x')), assertOssCode('AccessDenied'));
      // Not granted: delete and list, even inside the prefix.
      await assert.rejects(client.delete('users/42/note.txt'), assertOssCode('AccessDenied'));
      await assert.rejects(client.list({ prefix: 'users/42/' }), assertOssCode('AccessDenied'));
      assert.equal(await server.store.head('uploads', 'users/43/note.txt'), undefined);
    });
  }

  it('resumes a cancelled 100 MB multipartUpload from its checkpoint and stores identical bytes', async () => {
    // The size (100 MB), in the part size the browser demo uses (5 MiB): 20 parts.
    const size = 100_000_000 + 12_345;
    const partSize = 5 * mib;
    const totalParts = Math.ceil(size / partSize);
    const bytes = buildBytes(size);
    const path = join(dir, 'video.bin');
    await writeFile(path, bytes);
    const client = stsClient(server, credentials);
    let saved: Checkpoint | undefined;
    let cancelled = false;
    const interrupted = client.multipartUpload('users/42/video.bin', path, {
      partSize,
      parallel: 3,
      progress: (fraction, checkpoint) => {
        // Parts of the cancelled run still report after it rejects: record, but cancel only once.
        if (cancelled) return;
        saved = checkpoint ?? saved;
        if (fraction > 0.3) {
          cancelled = true;
          client.cancel();
        }
      },
    });
    await assert.rejects(interrupted, (error: { name: string }) => error.name === 'cancel');
    assert.ok(saved !== undefined && saved.doneParts.length >= 6 && saved.doneParts.length < totalParts);
    const doneBefore = saved.doneParts.length;
    const resumedFractions: number[] = [];
    const result = await client.multipartUpload('users/42/video.bin', path, {
      partSize,
      parallel: 3,
      checkpoint: saved,
      progress: (fraction) => void resumedFractions.push(fraction),
    });
    assert.equal(result.res.status, 200);
    // The resumed run uploaded only the remaining parts (ali-oss reports done/(parts+1) per part).
    assert.ok(
      resumedFractions.length <= totalParts - doneBefore + 1,
      `${resumedFractions.length} vs ${doneBefore}`,
    );
    const got = await client.get('users/42/video.bin');
    assert.equal(got.content.length, size);
    assert.ok(got.content.equals(bytes));
  });

  it('refuses a multipart upload outside the prefix at its first step', async () => {
    const client = stsClient(server, credentials);
    await assert.rejects(
      client.multipartUpload('users/7/x.bin', join(dir, 'video.bin'), {
        partSize: mib,
        parallel: 1,
        progress: () => {},
      }),
      assertOssCode('AccessDenied'),
    );
  });

  it('presigns V1 and V4 GET URLs that carry the security token', async () => {
    // signatureUrl refuses IP endpoints; `uploads.localhost` is dialled on 127.0.0.1 by exchangeUrl.
    const endpoint = `http://localhost:${server.port}`;
    const v1Client = stsClient(server, credentials, false, endpoint);
    const v1Url = v1Client.signatureUrl('users/42/note.txt', { expires: 300 });
    assert.match(v1Url, /[?&]security-token=/);
    const v1 = await exchangeUrl(server.port, v1Url);
    assert.equal(v1.status, 200);
    assert.equal(v1.body, 'hello');
    const v4Client = stsClient(server, credentials, true, endpoint);
    const v4Url = await v4Client.signatureUrlV4('GET', 300, undefined, 'users/42/note.txt');
    assert.match(v4Url, /x-oss-security-token=/);
    assert.equal((await exchangeUrl(server.port, v4Url)).status, 200);
    const outside = await exchangeUrl(
      server.port,
      v1Client.signatureUrl('users/43/note.txt', { expires: 300 }),
    );
    assert.equal(outside.status, 403);
    assert.match(outside.body, /<Code>AccessDenied<\/Code>/);
    const stripped = await exchangeUrl(server.port, v1Url.replace(/&security-token=[^&]*/, ''));
    assert.equal(stripped.status, 403);
    assert.match(stripped.body, /<Code>InvalidAccessKeyId<\/Code>/);
  });

  it('answers STS errors in the STS JSON shape that ali-oss reports', async () => {
    const sts = createAliOssSts(server, {
      accessKeyId: 'UPCTESTACCESSKEYID000001',
      accessKeySecret: 'wrong',
    });
    await assert.rejects(
      sts.assumeRole(testRoleArn, null, 900, 's1'),
      (error: { code: string; status: number; requestId: string }) => {
        assert.equal(error.code, 'SignatureDoesNotMatch');
        assert.equal(error.status, 400);
        assert.match(error.requestId, /^[0-9A-F]{24}$/);
        return true;
      },
    );
    const good = createAliOssSts(server);
    await assert.rejects(good.assumeRole(testRoleArn, { Version: '1' }, 900, 's1'), {
      code: 'InvalidParameter.PolicyGrammar',
    });
    await assert.rejects(good.assumeRole(testRoleArn, null, 7200, 's1'), {
      code: 'InvalidParameter.DurationSeconds',
    });
  });
});
