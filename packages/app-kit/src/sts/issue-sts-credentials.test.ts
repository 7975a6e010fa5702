import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildRoleSessionName,
  issueStsCredentials,
  type IssueStsCredentialsOptions,
} from './issue-sts-credentials.js';
import { StsRequestError } from './read-sts-response.js';
import { signRpcRequest as signStsRequest } from '@upcall/protocol';

interface Captured {
  url: string;
  params: Map<string, string>;
}

function fakeSts(status: number, reply: object, captured: Captured[]): typeof fetch {
  const fake = (url: string, init: { body: string }): Promise<Response> => {
    captured.push({ url, params: new Map(new URLSearchParams(init.body)) });
    const headers = { 'content-type': 'application/json' };
    return Promise.resolve(new Response(JSON.stringify(reply), { status, headers }));
  };
  // issueStsCredentials always passes a string URL and a string body.
  return fake as unknown as typeof fetch;
}

const base: Omit<IssueStsCredentialsOptions, 'fetch'> = {
  accessKeyId: 'LTAIexample',
  accessKeySecret: 'app-secret',
  roleArn: 'acs:ram::1234567890:role/browser-upload',
  bucket: 'uploads',
  endpoint: 'http://127.0.0.1:9000/_upcall/sts',
  now: () => Date.parse('2024-05-01T12:00:00.456Z'),
  newNonce: () => 'nonce-1',
};

const okReply = {
  RequestId: 'R1',
  AssumedRoleUser: { Arn: 'a', AssumedRoleId: 'b' },
  Credentials: {
    AccessKeyId: 'STS.x',
    AccessKeySecret: 's',
    SecurityToken: 't',
    Expiration: '2024-05-01T12:15:00Z',
  },
};

describe('issueStsCredentials', () => {
  it('sends a signed AssumeRole scoped to the user folder and returns the credentials', async () => {
    const captured: Captured[] = [];
    const result = await issueStsCredentials(
      { id: 'alice@example.com' },
      { ...base, fetch: fakeSts(200, okReply, captured) },
    );
    assert.deepEqual(result, {
      accessKeyId: 'STS.x',
      accessKeySecret: 's',
      securityToken: 't',
      expiration: '2024-05-01T12:15:00Z',
      bucket: 'uploads',
      keyPrefix: 'uploads/alice%40example%2Ecom/',
    });
    const [request] = captured;
    assert.equal(request?.url, base.endpoint);
    const params = request?.params ?? new Map<string, string>();
    assert.equal(params.get('Timestamp'), '2024-05-01T12:00:00Z');
    assert.equal(params.get('DurationSeconds'), '900');
    assert.equal(params.get('RoleSessionName'), 'u-alice.40example.2Ecom');
    assert.deepEqual(JSON.parse(params.get('Policy') ?? ''), {
      Version: '1',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['oss:PutObject', 'oss:GetObject', 'oss:ListParts', 'oss:AbortMultipartUpload'],
          Resource: ['acs:oss:*:*:uploads/uploads/alice%40example%2Ecom/*'],
        },
      ],
    });
    assert.equal(params.get('Signature'), signStsRequest('POST', params, 'app-secret'));
  });

  it('keeps wildcard characters of a user id out of the policy resource', async () => {
    const captured: Captured[] = [];
    await issueStsCredentials('*', { ...base, fetch: fakeSts(200, okReply, captured) });
    assert.match(captured[0]?.params.get('Policy') ?? '', /uploads\/%2A\/\*"/);
  });

  it('throws StsRequestError with the STS code, message and request id', async () => {
    const reply = { RequestId: 'R2', HostId: 'h', Code: 'NoPermission', Message: 'No permission.' };
    await assert.rejects(
      issueStsCredentials('bob', { ...base, fetch: fakeSts(403, reply, []) }),
      (error) =>
        error instanceof StsRequestError &&
        error.code === 'NoPermission' &&
        error.requestId === 'R2' &&
        error.status === 403,
    );
  });

  it('builds role session names STS accepts from any user id', () => {
    for (const id of ['a', 'ü'.repeat(40), 'x y/z'])
      assert.match(buildRoleSessionName(id), /^[A-Za-z0-9.@_-]{2,64}$/);
  });
});
