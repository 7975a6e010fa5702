import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readEmulatorTestKey } from '../test-support/build-signed-callback.js';
import { startRecordingServer, type RecordingServer } from '../test-support/start-recording-server.js';
import { get } from 'node:http';
import { createCallbackKeyTrust } from './callback-key-trust.js';
import { CallbackVerificationError } from './callback-verification-error.js';
import type { FetchLike } from './read-public-key-pem.js';

const pem = readEmulatorTestKey().publicKeyPem;

/** A key server: /key.pem answers the PEM, /redirect 302s to /key.pem, /big 9 KiB, /slow never answers. */
function startKeyServer(): Promise<RecordingServer> {
  return startRecordingServer((req, res) => {
    if (req.url === '/key.pem') res.end(pem);
    else if (req.url === '/redirect') res.writeHead(302, { location: '/key.pem' }).end();
    else if (req.url === '/big') res.end(`${pem}${' '.repeat(9 * 1024)}`);
    else if (req.url === '/not-pem') res.end('<html>hello</html>');
    else if (req.url === '/slow')
      return; // never answers
    else res.writeHead(404).end();
  });
}

/**
 * Stands in for Upcall's key paths: every `/_upcall/*.pem` answers the PEM; `redirect` 302s, `big` is
 * 9 KiB, `slow` never answers, anything else 404.
 */
function startUpcallKeyServer(): Promise<RecordingServer> {
  return startRecordingServer((req, res) => {
    const url = req.url ?? '';
    if (url === '/_upcall/redirect') res.writeHead(302, { location: '/_upcall/redirected.pem' }).end();
    else if (url === '/_upcall/big') res.end(`${pem}${' '.repeat(9 * 1024)}`);
    else if (url === '/_upcall/slow')
      return; // never answers
    else if (url.startsWith('/_upcall/') && url.endsWith('.pem')) res.end(pem);
    else res.writeHead(404).end();
  });
}

/** The URL `upcall server --dev-key-proxy` advertises and answers as an HTTP proxy (docs/callback-keys.md). */
const devKeyUrl = 'http://gosspublic.alicdn.com/upcall_dev_key.pem';

/** A stand-in for Upcall's dev-key proxy: the dev key URL in absolute-form, anything else 403. */
function startDevKeyProxy(body: string = pem): Promise<RecordingServer> {
  return startRecordingServer((req, res) => {
    if (req.method === 'GET' && req.url === devKeyUrl) res.end(body);
    else res.writeHead(403).end();
  });
}

/**
 * What an application passes as `fetch` to reach key URLs through an HTTP proxy (Node's own fetch
 * ignores http_proxy): the request goes to the proxy in absolute-form; redirects are never followed.
 */
function fetchThroughProxy(proxy: RecordingServer): FetchLike {
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const req = get(
        { host: '127.0.0.1', port: proxy.port, path: url, signal: init.signal ?? undefined },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 502 })),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
    });
}

async function failure(promise: Promise<unknown>): Promise<CallbackVerificationError> {
  const error = await promise.then(
    () => assert.fail('expected a refusal'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof CallbackVerificationError);
  return error;
}

describe('createCallbackKeyTrust', () => {
  it('pins the official OSS key for its two URLs and nothing else by default', () => {
    const trust = createCallbackKeyTrust();
    assert.equal(trust.lookup('http://gosspublic.alicdn.com/callback_pub_key_v1.pem'), 'oss');
    assert.equal(trust.lookup('https://gosspublic.alicdn.com/callback_pub_key_v1.pem'), 'oss');
    assert.equal(trust.lookup('https://gosspublic.alicdn.com/callback_pub_key_v2.pem'), undefined);
  });

  it('fetches an allow-listed key once and serves it from the cache until the TTL passes', async () => {
    const server = await startKeyServer();
    let nowMs = 0;
    try {
      const url = `${server.origin}/key.pem`;
      const trust = createCallbackKeyTrust({ fetchKeyUrls: [url], cacheTtlMs: 1000, now: () => nowMs });
      const [first, second] = await Promise.all([trust.resolve(url), trust.resolve(url)]);
      assert.equal(first.source, 'fetched');
      assert.equal(second.key, first.key);
      await trust.resolve(url);
      assert.deepEqual(server.seen, ['GET /key.pem']);
      nowMs = 1001;
      await trust.resolve(url);
      assert.deepEqual(server.seen, ['GET /key.pem', 'GET /key.pem']);
    } finally {
      await server.close();
    }
  });

  it('never fetches a URL that only resembles an allow-listed one', async () => {
    const server = await startKeyServer();
    try {
      const url = `${server.origin}/key.pem`;
      const trust = createCallbackKeyTrust({ fetchKeyUrls: [url] });
      const lookalikes = [
        `${url}?`,
        `${server.origin}//key.pem`,
        `${server.origin}/./key.pem`,
        `${server.origin}/KEY.pem`,
        `http://localhost:${server.port}/key.pem`,
        `HTTP://127.0.0.1:${server.port}/key.pem`,
        `http://127.0.0.1:0${server.port}/key.pem`,
        `http://127.0.0.1:${server.port}/key.pem#x`,
      ];
      for (const lookalike of lookalikes) {
        assert.equal((await failure(trust.resolve(lookalike))).reason, 'untrusted-key-url', lookalike);
      }
      assert.deepEqual(server.seen, []);
    } finally {
      await server.close();
    }
  });

  it('refuses redirects, oversize keys and non-PEM answers as key-unavailable', async () => {
    const server = await startKeyServer();
    try {
      for (const path of ['/redirect', '/big', '/not-pem', '/missing']) {
        const url = `${server.origin}${path}`;
        const trust = createCallbackKeyTrust({ fetchKeyUrls: [url] });
        const error = await failure(trust.resolve(url));
        assert.equal(error.reason, 'key-unavailable', path);
        assert.equal(error.details.keyUrl, url);
      }
      assert.equal(server.seen.includes('GET /key.pem'), false); // the redirect was not followed
    } finally {
      await server.close();
    }
  });

  it('gives up on a silent key server after the timeout, and never waits longer than 2 s', async () => {
    const server = await startKeyServer();
    try {
      const url = `${server.origin}/slow`;
      let started = Date.now();
      await failure(createCallbackKeyTrust({ fetchKeyUrls: [url], fetchTimeoutMs: 100 }).resolve(url));
      assert.ok(Date.now() - started < 1000);
      started = Date.now();
      const error = await failure(
        createCallbackKeyTrust({ fetchKeyUrls: [url], fetchTimeoutMs: 60_000 }).resolve(url),
      );
      const elapsed = Date.now() - started;
      assert.equal(error.reason, 'key-unavailable');
      assert.ok(elapsed >= 1900 && elapsed < 2600, `waited ${elapsed} ms`);
    } finally {
      await server.close();
    }
  });

  it('does not trust the dev key URL by default: the built-in OSS key is pinned for the official URLs only', async () => {
    const proxy = await startDevKeyProxy();
    try {
      for (const trust of [
        createCallbackKeyTrust(),
        createCallbackKeyTrust({ fetch: fetchThroughProxy(proxy) }),
      ]) {
        assert.equal(trust.lookup(devKeyUrl), undefined);
        assert.equal((await failure(trust.resolve(devKeyUrl))).reason, 'untrusted-key-url');
      }
      assert.deepEqual(proxy.seen, []);
    } finally {
      await proxy.close();
    }
  });

  it('fetches the dev key URL through a configured proxy only when allow-listed, with the same limits', async () => {
    const proxy = await startDevKeyProxy();
    const oversize = await startDevKeyProxy(`${pem}${' '.repeat(9 * 1024)}`);
    try {
      const trust = createCallbackKeyTrust({ fetchKeyUrls: [devKeyUrl], fetch: fetchThroughProxy(proxy) });
      assert.equal(trust.lookup(devKeyUrl), 'fetched');
      assert.equal((await trust.resolve(devKeyUrl)).source, 'fetched');
      assert.deepEqual(proxy.seen, [`GET ${devKeyUrl}`]);
      const lookalike = 'http://gosspublic.alicdn.com/upcall_dev_key.pem?x';
      assert.equal((await failure(trust.resolve(lookalike))).reason, 'untrusted-key-url');
      assert.deepEqual(proxy.seen, [`GET ${devKeyUrl}`]);
      const tooBig = createCallbackKeyTrust({
        fetchKeyUrls: [devKeyUrl],
        fetch: fetchThroughProxy(oversize),
      });
      assert.equal((await failure(tooBig.resolve(devKeyUrl))).reason, 'key-unavailable');
    } finally {
      await proxy.close();
      await oversize.close();
    }
  });

  it('fetches every key URL under a configured prefix, so a rotated key URL needs no new configuration', async () => {
    const server = await startUpcallKeyServer();
    try {
      const trust = createCallbackKeyTrust({ fetchKeyUrlPrefixes: [`${server.origin}/_upcall/`] });
      const before = `${server.origin}/_upcall/callback-public-key-${'a'.repeat(32)}.pem`;
      const after = `${server.origin}/_upcall/callback-public-key-${'b'.repeat(32)}.pem`;
      assert.equal(trust.lookup(before), 'fetched');
      assert.equal((await trust.resolve(before)).source, 'fetched');
      assert.equal((await trust.resolve(after)).source, 'fetched');
      await trust.resolve(after); // cached per URL
      assert.deepEqual(server.seen, [
        `GET /_upcall/callback-public-key-${'a'.repeat(32)}.pem`,
        `GET /_upcall/callback-public-key-${'b'.repeat(32)}.pem`,
      ]);
    } finally {
      await server.close();
    }
  });

  it('never fetches a lookalike of a prefix: other host spelling, port, scheme, path, userinfo, query, escapes', async () => {
    const server = await startUpcallKeyServer();
    const neighbour = await startUpcallKeyServer();
    try {
      const trust = createCallbackKeyTrust({ fetchKeyUrlPrefixes: [`${server.origin}/_upcall/`] });
      const key = 'callback-public-key-0123.pem';
      const lookalikes = [
        `http://127.0.0.1:${neighbour.port}/_upcall/${key}`,
        `http://localhost:${server.port}/_upcall/${key}`,
        `http://127.0.0.1.nip.io:${server.port}/_upcall/${key}`,
        `http://0x7f.0.0.1:${server.port}/_upcall/${key}`,
        `http://127.0.0.1:0${server.port}/_upcall/${key}`,
        `https://127.0.0.1:${server.port}/_upcall/${key}`,
        `HTTP://127.0.0.1:${server.port}/_upcall/${key}`,
        `http://user@127.0.0.1:${server.port}/_upcall/${key}`,
        `http://127.0.0.1:${server.port}@127.0.0.1:${neighbour.port}/_upcall/${key}`,
        `${server.origin}/_upcall/${key}?`,
        `${server.origin}/_upcall/${key}?x=1`,
        `${server.origin}/_upcall/${key}#`,
        `${server.origin}/_upcallx/${key}`,
        `${server.origin}/_UPCALL/${key}`,
        `${server.origin}/_upcall`,
        `${server.origin}/_upcall/`,
        `${server.origin}/_upcall/../${key}`,
        `${server.origin}/_upcall/%2e%2e/${key}`,
        `${server.origin}/_upcall/..%2F${key}`,
        `${server.origin}/_upcall\\${key}`,
        `${server.origin}/_upcall/\t${key}`,
        `${server.origin}//_upcall/${key}`,
        `${server.origin}/x/_upcall/${key}`,
        'not a url',
      ];
      for (const lookalike of lookalikes) {
        assert.equal(trust.lookup(lookalike), undefined, lookalike);
        assert.equal((await failure(trust.resolve(lookalike))).reason, 'untrusted-key-url', lookalike);
      }
      assert.deepEqual([server.seen, neighbour.seen], [[], []]);
    } finally {
      await server.close();
      await neighbour.close();
    }
  });

  it('applies the allow-list fetch limits to prefixed URLs: no redirects, 8 KiB, 2 s', async () => {
    const server = await startUpcallKeyServer();
    try {
      const trust = createCallbackKeyTrust({
        fetchKeyUrlPrefixes: [`${server.origin}/_upcall/`],
        fetchTimeoutMs: 100,
      });
      for (const name of ['redirect', 'big', 'slow', 'missing']) {
        const error = await failure(trust.resolve(`${server.origin}/_upcall/${name}`));
        assert.equal(error.reason, 'key-unavailable', name);
      }
      assert.equal(server.seen.includes('GET /_upcall/redirected.pem'), false);
    } finally {
      await server.close();
    }
  });

  it('refuses configured prefixes that are not a canonical origin plus a path ending in "/"', () => {
    const refused = [
      'http://127.0.0.1:9000/_upcall',
      'http://127.0.0.1:9000/_upcall/?',
      'http://127.0.0.1:9000/_upcall/?x',
      'http://127.0.0.1:9000/_upcall/#',
      'http://u:p@127.0.0.1:9000/_upcall/',
      'HTTP://127.0.0.1:9000/_upcall/',
      'http://127.0.0.1:09000/_upcall/',
      'http://127.0.0.1:9000',
      'file:///_upcall/',
      '/_upcall/',
    ];
    for (const prefix of refused) {
      assert.throws(() => createCallbackKeyTrust({ fetchKeyUrlPrefixes: [prefix] }), TypeError, prefix);
    }
    const accepted = createCallbackKeyTrust({
      fetchKeyUrlPrefixes: ['http://127.0.0.1:9000/_upcall/', 'https://[::1]:9443/'],
    });
    assert.equal(accepted.lookup('https://[::1]:9443/k.pem'), 'fetched');
  });

  it('refuses configured URLs that are not in canonical form, and non-RSA or broken PEMs', () => {
    assert.throws(() => createCallbackKeyTrust({ fetchKeyUrls: ['http://127.0.0.1:9000'] }), TypeError);
    assert.throws(() => createCallbackKeyTrust({ fetchKeyUrls: ['HTTP://example.com/k.pem'] }), TypeError);
    assert.throws(() => createCallbackKeyTrust({ fetchKeyUrls: ['file:///etc/passwd'] }), TypeError);
    assert.throws(() => createCallbackKeyTrust({ pinnedKeys: { 'http://127.0.0.1:9000/k.pem': 'garbage' } }));
  });
});
