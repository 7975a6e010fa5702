import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestServer } from '../http/testing/start-test-server.js';
import { createAliOssClient, type AliOssError } from '../http/testing/create-ali-oss-client.js';
import {
  buildFormParts,
  buildMultipartBody,
} from '../operations/post-object/testing/build-multipart-body.js';
import {
  readErrorCode,
  sendForm,
  signPolicyFields,
} from '../operations/post-object/testing/post-form-client.js';
import {
  buildPrefixPolicy,
  createAliOssSts,
  otherStsKey,
  startStsTestServer,
  testRoleArn,
  type StsCredentials,
} from './testing/sts-test-kit.js';

function client(
  server: TestServer,
  c: { id: string; secret: string; token?: string },
): ReturnType<typeof createAliOssClient> {
  return createAliOssClient({
    endpoint: server.url,
    bucket: 'uploads',
    accessKeyId: c.id,
    accessKeySecret: c.secret,
    ...(c.token === undefined ? {} : { stsToken: c.token }),
  });
}

function of(credentials: StsCredentials): { id: string; secret: string; token: string } {
  return {
    id: credentials.AccessKeyId,
    secret: credentials.AccessKeySecret,
    token: credentials.SecurityToken,
  };
}

function rejectsWith(code: string): (error: AliOssError) => boolean {
  return (error) => {
    assert.equal(error.code, code);
    assert.equal(error.status, 403);
    return true;
  };
}

describe('STS credentials under attack', () => {
  let server: TestServer;
  let foreign: TestServer;
  let nowMs = Date.now();
  let alice: StsCredentials;
  let bob: StsCredentials;
  before(async () => {
    server = await startStsTestServer({ now: () => nowMs });
    foreign = await startStsTestServer({ sts: { key: otherStsKey } });
    const sts = createAliOssSts(server);
    ({ credentials: alice } = await sts.assumeRole(
      testRoleArn,
      buildPrefixPolicy('uploads', 'users/alice/'),
      900,
      'alice',
    ));
    ({ credentials: bob } = await sts.assumeRole(
      testRoleArn,
      buildPrefixPolicy('uploads', 'users/bob/'),
      900,
      'bob',
    ));
  });
  after(async () => {
    await server.close();
    await foreign.close();
  });

  it('refuses a temporary key sent without its token', async () => {
    const { id, secret } = of(alice);
    await assert.rejects(
      client(server, { id, secret }).put('users/alice/a', Buffer.from('x')),
      rejectsWith('InvalidAccessKeyId'),
    );
  });

  it('refuses a tampered token', async () => {
    const c = of(alice);
    const body = c.token.slice('UPCSTS1.'.length);
    const tampered = `UPCSTS1.${body.slice(0, 40)}${body[40] === 'A' ? 'B' : 'A'}${body.slice(41)}`;
    await assert.rejects(
      client(server, { ...c, token: tampered }).put('users/alice/a', Buffer.from('x')),
      rejectsWith('InvalidSecurityToken'),
    );
  });

  it("refuses one user's key with another user's token, whichever prefix it targets", async () => {
    const mixed = { ...of(alice), token: bob.SecurityToken };
    await assert.rejects(
      client(server, mixed).put('users/bob/a', Buffer.from('x')),
      rejectsWith('InvalidSecurityToken'),
    );
    await assert.rejects(
      client(server, mixed).put('users/alice/a', Buffer.from('x')),
      rejectsWith('InvalidSecurityToken'),
    );
  });

  it('refuses credentials issued by a server with another STS key', async () => {
    const { credentials } = await createAliOssSts(foreign).assumeRole(testRoleArn, null, 900, 'elsewhere');
    await assert.rejects(
      client(server, of(credentials)).put('users/alice/a', Buffer.from('x')),
      rejectsWith('InvalidSecurityToken'),
    );
  });

  it("cannot sign with another session's secret even holding the right id and token", async () => {
    const forged = { ...of(alice), secret: bob.AccessKeySecret };
    await assert.rejects(
      client(server, forged).put('users/alice/a', Buffer.from('x')),
      rejectsWith('SignatureDoesNotMatch'),
    );
  });

  it('refuses an expired token with SecurityTokenExpired and nothing is stored', async () => {
    const saved = nowMs;
    nowMs = Date.parse(alice.Expiration); // still inside the 15-minute request-time skew
    try {
      await assert.rejects(
        client(server, of(alice)).put('users/alice/late', Buffer.from('x')),
        rejectsWith('SecurityTokenExpired'),
      );
    } finally {
      nowMs = saved;
    }
    assert.equal(await server.store.head('uploads', 'users/alice/late'), undefined);
  });

  it('does not widen a session with a policy that names more than the role grants', async () => {
    const wide = {
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: ['*', 'ram:*', 'sts:*'], Resource: '*' }],
    };
    const { credentials } = await createAliOssSts(server).assumeRole(testRoleArn, wide, 900, 'wide');
    // The role (all OSS actions on this server) still bounds it: OSS works, nothing else exists here.
    await client(server, of(credentials)).put('anywhere/ok', Buffer.from('x'));
    const denyPolicy = {
      Version: '1',
      Statement: [
        { Effect: 'Allow', Action: 'oss:*', Resource: 'acs:oss:*:*:uploads/*' },
        { Effect: 'Deny', Action: 'oss:PutObject', Resource: 'acs:oss:*:*:uploads/locked/*' },
      ],
    };
    const { credentials: denied } = await createAliOssSts(server).assumeRole(
      testRoleArn,
      denyPolicy,
      900,
      'deny',
    );
    await assert.rejects(
      client(server, of(denied)).put('locked/a', Buffer.from('x')),
      rejectsWith('AccessDenied'),
    );
    await client(server, of(denied)).put('open/a', Buffer.from('x'));
  });

  for (const version of ['v1', 'v4'] as const) {
    it(`accepts a ${version.toUpperCase()} PostObject form with the STS token only inside the prefix`, async () => {
      const post = async (
        key: string,
        token: string,
      ): Promise<{ status: number; code: string | undefined }> => {
        const fields: Array<[string, string]> = [
          ['key', key],
          ...signPolicyFields({
            version,
            accessKeyId: alice.AccessKeyId,
            secret: alice.AccessKeySecret,
            nowMs: Date.now(),
            conditions: [
              { bucket: 'uploads' },
              ['starts-with', '$key', 'users/'],
              { 'x-oss-security-token': token },
            ],
          }),
          ['x-oss-security-token', token],
        ];
        const { body, contentType } = buildMultipartBody(buildFormParts(fields, { content: 'posted' }));
        const res = await sendForm({ port: server.port, bucket: 'uploads', body, contentType });
        return { status: res.status, code: readErrorCode(res.text) };
      };
      assert.equal((await post(`users/alice/form-${version}.txt`, alice.SecurityToken)).status, 204);
      assert.deepEqual(await post(`users/bob/form-${version}.txt`, alice.SecurityToken), {
        status: 403,
        code: 'AccessDenied',
      });
      assert.deepEqual(await post(`users/alice/x-${version}.txt`, bob.SecurityToken), {
        status: 403,
        code: 'InvalidSecurityToken',
      });
      assert.equal(await server.store.head('uploads', `users/bob/form-${version}.txt`), undefined);
    });
  }
});
