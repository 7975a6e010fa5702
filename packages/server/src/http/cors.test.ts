import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { checkCorsOrigin } from './cors.js';
import { exchange, type Exchange } from './testing/http-exchange.js';
import { startTestServer, type TestServer } from './testing/start-test-server.js';

const xml = new XMLParser({ parseTagValue: false });
const errorCode = (body: string): string => (xml.parse(body) as { Error: { Code: string } }).Error.Code;

function preflight(
  port: number,
  origin: string,
  method = 'PUT',
  headers = 'authorization, x-oss-date',
): Promise<Exchange> {
  return exchange(port, {
    method: 'OPTIONS',
    path: '/uploads/a.txt',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });
}

function allowHeaders(res: Exchange): string[] {
  return Object.keys(res.headers).filter((name) => name.startsWith('access-control-allow-'));
}

describe('CORS with the development default (any origin, echoed)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ config: { corsOrigins: ['*'] } });
  });
  after(() => server.close());

  it('answers a preflight with the exact origin, methods, requested headers, exposed headers and max-age', async () => {
    const res = await preflight(
      server.port,
      'https://app.example:8443',
      'PUT',
      'authorization, x-oss-meta-a',
    );
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-origin'], 'https://app.example:8443');
    assert.equal(res.headers['access-control-allow-methods'], 'GET, PUT, POST, DELETE, HEAD');
    assert.equal(res.headers['access-control-allow-headers'], 'authorization, x-oss-meta-a');
    assert.equal(
      res.headers['access-control-expose-headers'],
      'ETag, x-oss-request-id, x-oss-hash-crc64ecma, Content-MD5, x-oss-version-id',
    );
    assert.equal(res.headers['access-control-max-age'], '600');
    assert.match(String(res.headers.vary), /\bOrigin\b/);
    assert.equal(res.headers['access-control-allow-credentials'], undefined);
    assert.match(String(res.headers['x-oss-request-id']), /^[0-9A-F]{24}$/);
  });

  it('adds CORS headers to actual responses, error responses included', async () => {
    const res = await exchange(server.port, {
      path: '/uploads/a.txt',
      headers: { origin: 'http://localhost:5173' },
    });
    assert.equal(res.status, 403);
    assert.equal(res.headers['access-control-allow-origin'], 'http://localhost:5173');
    assert.match(String(res.headers['access-control-expose-headers']), /x-oss-request-id/);
    assert.equal(res.headers['access-control-allow-credentials'], undefined);
    assert.match(String(res.headers.vary), /\bOrigin\b/);
  });

  it('refuses a preflight for a method CORS does not allow', async () => {
    const res = await preflight(server.port, 'https://app.example', 'PATCH');
    assert.equal(res.status, 403);
    assert.equal(errorCode(res.body), 'AccessForbidden');
    assert.deepEqual(allowHeaders(res), []);
  });
});

describe('CORS with a narrowed origin list', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      config: { corsOrigins: ['https://app.example', 'https://*.corp.example'] },
    });
  });
  after(() => server.close());

  it('answers a preflight from a non-matching origin with 403 AccessForbidden and no Allow headers', async () => {
    const res = await preflight(server.port, 'https://evil.example');
    assert.equal(res.status, 403);
    assert.equal(res.headers['content-type'], 'application/xml');
    assert.equal(errorCode(res.body), 'AccessForbidden');
    assert.deepEqual(allowHeaders(res), []);
  });

  it('allows listed and wildcard-matched origins', async () => {
    assert.equal((await preflight(server.port, 'https://app.example')).status, 200);
    const wildcard = await preflight(server.port, 'https://team.corp.example');
    assert.equal(wildcard.headers['access-control-allow-origin'], 'https://team.corp.example');
  });

  it('sends no CORS headers to a non-matching origin on actual requests, but still Vary: Origin', async () => {
    const res = await exchange(server.port, {
      path: '/_upcall/health',
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(allowHeaders(res), []);
    assert.match(String(res.headers.vary), /\bOrigin\b/);
  });
});

describe('CORS switched off', () => {
  it('refuses every preflight', async () => {
    const server = await startTestServer({ config: { corsOrigins: [] } });
    try {
      const res = await preflight(server.port, 'http://localhost:5173');
      assert.equal(res.status, 403);
      assert.deepEqual(allowHeaders(res), []);
    } finally {
      await server.close();
    }
  });
});

describe('checkCorsOrigin', () => {
  it('matches exact origins case-insensitively, one-star wildcards, and * for anything', () => {
    assert.equal(checkCorsOrigin('https://App.Example', ['https://app.example/']), true);
    assert.equal(checkCorsOrigin('https://app.example.evil', ['https://app.example']), false);
    assert.equal(checkCorsOrigin('https://a.corp.example', ['https://*.corp.example']), true);
    assert.equal(checkCorsOrigin('https://corp.example', ['https://*.corp.example']), false);
    assert.equal(checkCorsOrigin('http://a.corp.example', ['https://*.corp.example']), false);
    assert.equal(checkCorsOrigin('null', ['*']), true);
    assert.equal(checkCorsOrigin('https://x', []), false);
  });
});

describe('CORS with a bucket configuration (PutBucketCors): the bucket rules replace the server rule', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ config: { corsOrigins: ['*'], buckets: ['uploads', 'plain'] } });
    await server.store.setBucketCors('uploads', {
      rules: [
        {
          allowedOrigins: ['https://app.example'],
          allowedMethods: ['PUT', 'POST'],
          allowedHeaders: ['authorization', 'x-oss-*', 'content-type'],
          exposeHeaders: ['ETag'],
          maxAgeSeconds: 30,
        },
        {
          allowedOrigins: ['https://*.example'],
          allowedMethods: ['GET', 'PUT'],
          allowedHeaders: ['*'],
          exposeHeaders: ['x-oss-request-id'],
        },
      ],
      responseVary: false,
    });
  });
  after(() => server.close());

  it('answers a preflight with the first matching rule: its methods, exposed headers and max-age', async () => {
    const res = await preflight(
      server.port,
      'https://app.example',
      'PUT',
      'authorization, x-oss-date, Content-Type',
    );
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-origin'], 'https://app.example');
    assert.equal(res.headers['access-control-allow-methods'], 'PUT, POST');
    assert.equal(res.headers['access-control-expose-headers'], 'ETag');
    assert.equal(res.headers['access-control-max-age'], '30');
  });

  it('falls through to a later rule when an earlier one does not allow every requested header', async () => {
    const res = await preflight(server.port, 'https://app.example', 'PUT', 'authorization, x-custom');
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-methods'], 'GET, PUT');
    assert.equal(res.headers['access-control-expose-headers'], 'x-oss-request-id');
    assert.equal(res.headers['access-control-max-age'], undefined);
  });

  it('refuses what no bucket rule allows, although the server rule would allow it', async () => {
    for (const [origin, method] of [
      ['https://evil.test', 'PUT'],
      ['https://app.example', 'DELETE'],
    ] as const) {
      const res = await preflight(server.port, origin, method);
      assert.equal(res.status, 403, `${origin} ${method}`);
      assert.equal(errorCode(res.body), 'AccessForbidden');
      assert.deepEqual(allowHeaders(res), []);
    }
    const actual = await exchange(server.port, {
      path: '/uploads/a.txt',
      headers: { origin: 'https://evil.test' },
    });
    assert.deepEqual(allowHeaders(actual), []);
    assert.match(String(actual.headers.vary), /\bOrigin\b/);
  });

  it('adds the matching rule headers to actual responses, errors included', async () => {
    const res = await exchange(server.port, {
      path: '/uploads/a.txt',
      headers: { origin: 'https://www.example' },
    });
    assert.equal(res.status, 403);
    assert.equal(res.headers['access-control-allow-origin'], 'https://www.example');
    assert.equal(res.headers['access-control-expose-headers'], 'x-oss-request-id');
  });

  it('keeps the server rule for buckets without a configuration and for missing buckets', async () => {
    for (const path of ['/plain/a.txt', '/missing-bucket/a.txt']) {
      const res = await exchange(server.port, {
        method: 'OPTIONS',
        path,
        headers: { origin: 'https://evil.test', 'access-control-request-method': 'DELETE' },
      });
      assert.equal(res.status, 200, path);
      assert.equal(res.headers['access-control-allow-origin'], 'https://evil.test');
    }
  });
});
