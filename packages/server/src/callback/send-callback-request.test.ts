import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import { lookup as dnsLookup } from 'node:dns';
import type { AddressInfo, LookupFunction } from 'node:net';
import { parseCallbackParam, type CallbackRequest } from '@upcall/protocol';
import {
  buildCallbackRequestOptions,
  sendCallbackRequest,
  type CallbackAttemptOptions,
} from './send-callback-request.js';

function requestTo(callbackUrl: string): CallbackRequest {
  const config = parseCallbackParam(
    Buffer.from(JSON.stringify({ callbackUrl, callbackBody: 'a=1' })).toString('base64'),
  );
  const url = config.urls[0];
  assert.ok(url);
  return { method: 'POST', url, headers: [['Host', 'app.example.com']], body: Buffer.from('a=1') };
}

const base: CallbackAttemptOptions = {
  timeoutMs: 5000,
  sni: false,
  maxResponseBytes: 1024,
  lookup: undefined,
};

describe('buildCallbackRequestOptions', () => {
  it('sends no TLS SNI unless callbackSNI is true (servername "" disables it in Node)', () => {
    const request = requestTo('https://app.example.com:8443/cb?x=1');
    assert.equal(buildCallbackRequestOptions(request, base).servername, '');
    assert.equal(buildCallbackRequestOptions(request, { ...base, sni: true }).servername, 'app.example.com');
  });

  it('never sends an IP address as SNI, and sets no servername for plain http', () => {
    assert.equal(
      buildCallbackRequestOptions(requestTo('https://8.8.8.8/cb'), { ...base, sni: true }).servername,
      '',
    );
    assert.equal(
      'servername' in
        buildCallbackRequestOptions(requestTo('http://app.example.com/cb'), { ...base, sni: true }),
      false,
    );
  });

  it('dials the URL host and port with the exact request target, pooled unless a fresh connection is asked for', () => {
    const request = requestTo('http://app.example.com:8080/a%20b?q=%2F');
    const options = buildCallbackRequestOptions(request, base);
    assert.equal(options.host, 'app.example.com');
    assert.equal(options.port, 8080);
    assert.equal(options.path, '/a%20b?q=%2F');
    assert.equal(options.method, 'POST');
    assert.ok(options.agent instanceof http.Agent);
    assert.equal(buildCallbackRequestOptions(request, { ...base, freshConnection: true }).agent, false);
    assert.deepEqual(options.headers, { Host: 'app.example.com' });
  });

  it('keeps one pool per lookup, so a connection dialled under one resolver never serves another', () => {
    const request = requestTo('http://app.example.com/cb');
    const lookupA: LookupFunction = (hostname, options, callback) => dnsLookup(hostname, options, callback);
    const lookupB: LookupFunction = (hostname, options, callback) => dnsLookup(hostname, options, callback);
    const agentA = buildCallbackRequestOptions(request, { ...base, lookup: lookupA }).agent;
    assert.equal(buildCallbackRequestOptions(request, { ...base, lookup: lookupA }).agent, agentA);
    assert.notEqual(buildCallbackRequestOptions(request, { ...base, lookup: lookupB }).agent, agentA);
    assert.notEqual(buildCallbackRequestOptions(request, base).agent, agentA);
  });
});

describe('sendCallbackRequest over a real connection', () => {
  /** Answers 200 JSON; with `dropReused`, a second request on one connection is cut without a reply. */
  async function startTarget(
    dropReused: boolean,
  ): Promise<{ port: number; connections: () => number; close(): Promise<void> }> {
    let connections = 0;
    const served = new WeakSet<object>();
    const server = http.createServer((req, res) => {
      if (dropReused && served.has(req.socket)) {
        req.socket.destroy(); // the race a pooled connection can lose: the target closed it meanwhile
        return;
      }
      served.add(req.socket);
      req.resume();
      req.on('end', () => {
        res.setHeader('Content-Type', 'application/json');
        res.end('{"ok":true}');
      });
    });
    server.on('connection', () => (connections += 1));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    return {
      port,
      connections: () => connections,
      close: () => {
        server.closeAllConnections();
        return new Promise((resolve) => server.close(() => resolve()));
      },
    };
  }

  const send = (port: number) =>
    sendCallbackRequest(requestTo(`http://127.0.0.1:${port}/cb`), { ...base, lookup: undefined });

  it('reuses the connection of a completed callback for the next one to the same target', async () => {
    const target = await startTarget(false);
    try {
      for (let i = 0; i < 3; i++) {
        const result = await send(target.port);
        assert.ok(result.kind === 'response' && result.status === 200);
        assert.equal(result.bodyBytes.toString(), '{"ok":true}');
      }
      assert.equal(target.connections(), 1);
    } finally {
      await target.close();
    }
  });

  it('sends once more on a new connection when a pooled one is cut before any reply', async () => {
    const target = await startTarget(true);
    try {
      assert.ok((await send(target.port)).kind === 'response');
      const second = await send(target.port);
      assert.ok(second.kind === 'response' && second.status === 200, JSON.stringify(second));
      assert.equal(target.connections(), 2);
    } finally {
      await target.close();
    }
  });
});
