import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCallbackParam, type CallbackRequest } from '@upcall/protocol';
import { buildCallbackRequestOptions, type CallbackAttemptOptions } from './send-callback-request.js';

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

  it('dials the URL host and port with the exact request target and its own connection', () => {
    const options = buildCallbackRequestOptions(requestTo('http://app.example.com:8080/a%20b?q=%2F'), base);
    assert.equal(options.host, 'app.example.com');
    assert.equal(options.port, 8080);
    assert.equal(options.path, '/a%20b?q=%2F');
    assert.equal(options.method, 'POST');
    assert.equal(options.agent, false);
    assert.deepEqual(options.headers, { Host: 'app.example.com' });
  });
});
