// app-kit's issueStsCredentials against the real `upcall server` configuration path (flags → resolved
// config → startServer): the STS key is generated on first start in the data dir and reused, two
// instances given the same --sts-key accept each other's tokens, and ali-oss uses the credentials.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueStsCredentials, StsRequestError, type IssuedStsCredentials } from '@upcall/app-kit';
import { parseServerFlags, resolveServerConfig, startServer, type RunningServer } from '@upcall/server';

const accessKeyId = 'UPCE2ESTSACCESSKEY00001';
const accessKeySecret = 'e2e-sts-secret-00000000000000';
const roleArn = 'acs:ram::1234567890:role/browser-upload';

interface UploadClient {
  put(name: string, body: Buffer): Promise<unknown>;
  get(name: string): Promise<{ content: Buffer }>;
}

const require = createRequire(import.meta.url);
const OSS = require('ali-oss') as new (options: object) => UploadClient;

async function start(dataDir: string, extra: string[] = []): Promise<RunningServer> {
  const argv = ['--port', '0', '--data-dir', dataDir, '--access-key-id', accessKeyId];
  argv.push(
    '--access-key-secret',
    accessKeySecret,
    '--log-level',
    'silent',
    '--shutdown-grace-ms',
    '500',
    ...extra,
  );
  const { config } = await resolveServerConfig(parseServerFlags(argv, {}, process.cwd()));
  return startServer(config);
}

function issue(server: RunningServer, user: string): Promise<IssuedStsCredentials> {
  return issueStsCredentials(user, {
    accessKeyId,
    accessKeySecret,
    roleArn,
    bucket: 'uploads',
    endpoint: `${server.url}/_upcall/sts`,
  });
}

function ossFor(server: RunningServer, c: IssuedStsCredentials): UploadClient {
  return new OSS({
    region: 'oss-cn-hangzhou',
    endpoint: server.url,
    bucket: c.bucket,
    accessKeyId: c.accessKeyId,
    accessKeySecret: c.accessKeySecret,
    stsToken: c.securityToken,
  });
}

describe('issueStsCredentials with the local STS', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'upcall-e2e-sts-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('scopes credentials to the user folder, and a restarted server still accepts them', async () => {
    const dataDir = join(root, 'single');
    let server = await start(dataDir);
    let credentials: IssuedStsCredentials;
    try {
      credentials = await issue(server, 'alice');
      assert.equal(credentials.keyPrefix, 'uploads/alice/');
      await ossFor(server, credentials).put(`${credentials.keyPrefix}a.txt`, Buffer.from('from alice'));
      await assert.rejects(ossFor(server, credentials).put('uploads/bob/a.txt', Buffer.from('x')), {
        code: 'AccessDenied',
      });
    } finally {
      await server.close();
    }
    const key = await readFile(join(dataDir, 'sts-key'), 'utf8');
    assert.equal(Buffer.from(key.trim(), 'base64').length, 32);
    server = await start(dataDir);
    try {
      const got = await ossFor(server, credentials).get(`${credentials.keyPrefix}a.txt`);
      assert.equal(got.content.toString(), 'from alice');
    } finally {
      await server.close();
    }
  });

  it('lets instances sharing --sts-key accept each other’s tokens, and not others', async () => {
    const shared = Buffer.alloc(32, 42).toString('base64');
    const a = await start(join(root, 'a'), ['--sts-key', shared]);
    const b = await start(join(root, 'b'), ['--sts-key', shared]);
    const c = await start(join(root, 'c'));
    try {
      const credentials = await issue(a, 'carol');
      await ossFor(b, credentials).put(`${credentials.keyPrefix}x.txt`, Buffer.from('via b'));
      await assert.rejects(ossFor(c, credentials).put(`${credentials.keyPrefix}x.txt`, Buffer.from('x')), {
        code: 'InvalidSecurityToken',
      });
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('reports an STS refusal as StsRequestError', async () => {
    const server = await start(join(root, 'refusal'));
    try {
      await assert.rejects(
        issueStsCredentials('dave', {
          accessKeyId,
          accessKeySecret: 'wrong',
          roleArn,
          bucket: 'uploads',
          endpoint: `${server.url}/_upcall/sts`,
        }),
        (error) => error instanceof StsRequestError && error.code === 'SignatureDoesNotMatch',
      );
    } finally {
      await server.close();
    }
  });
});
