import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  callbackFailureMessage,
  checkCallbackResponse,
  maxCallbackResponseBytes,
  type CallbackResponseInput,
} from './check-callback-response.js';

const reply = ({ body, ...overrides }: Partial<CallbackResponseInput> & { body?: string | Buffer } = {}) => {
  const bodyBytes = Buffer.isBuffer(body) ? body : Buffer.from(body ?? '{"Status":"OK"}');
  return checkCallbackResponse({
    status: 200,
    headers: { 'content-type': 'application/json' },
    bodyBytes,
    contentLength: bodyBytes.length,
    ...overrides,
  });
};

describe('checkCallbackResponse', () => {
  it('accepts 200 with a Content-Length and a JSON body', () => {
    assert.deepEqual(reply(), { ok: true, contentType: 'application/json' });
  });

  it('judges the body, not the declared Content-Type', () => {
    assert.deepEqual(reply({ headers: { 'content-type': 'text/html' } }), {
      ok: true,
      contentType: 'application/json',
    });
    assert.deepEqual(reply({ headers: { 'content-type': 'application/json' }, body: '<html></html>' }), {
      ok: false,
      message: 'Response body is not valid json format.',
      ec: '0007-00000205',
    });
  });

  it('reports any status other than 200 as "Error status : N."', () => {
    for (const status of [201, 204, 301, 400, 502]) {
      assert.deepEqual(reply({ status }), { ok: false, message: `Error status : ${status}.` });
    }
  });

  it('rejects a missing or oversized Content-Length and an oversized body', () => {
    const message = 'Error Status : 400.User server return too long content-length value';
    assert.deepEqual(reply({ contentLength: undefined }), { ok: false, message });
    assert.deepEqual(reply({ contentLength: maxCallbackResponseBytes + 1 }), { ok: false, message });
    const big = Buffer.alloc(maxCallbackResponseBytes + 1, 0x20);
    assert.deepEqual(reply({ body: big, contentLength: 10 }), { ok: false, message });
  });

  it('accepts a body of exactly 1 MiB', () => {
    const body = Buffer.alloc(maxCallbackResponseBytes, 0x20);
    body.write('{}', 0);
    assert.equal(reply({ body }).ok, true);
  });

  it('rejects non-JSON, an empty body, a UTF-8 BOM and invalid UTF-8 as "not valid json format"', () => {
    const bodies = [
      'OK',
      '',
      Buffer.concat([Buffer.of(0xef, 0xbb, 0xbf), Buffer.from('{}')]),
      Buffer.of(0x22, 0xff, 0x22),
    ];
    for (const body of bodies) assert.equal(reply({ body }).ok, false);
  });

  it('accepts XML only when allowed and sent as application/xml', () => {
    const xml = {
      body: '<?xml version="1.0"?><Result>OK</Result>',
      headers: { 'content-type': 'application/xml; charset=utf-8' },
    };
    assert.equal(reply(xml).ok, false);
    assert.deepEqual(checkCallbackResponse({ ...asInput(xml) }, { allowXml: true }), {
      ok: true,
      contentType: 'application/xml',
    });
    const textXml = { ...xml, headers: { 'content-type': 'text/xml' } };
    assert.equal(checkCallbackResponse(asInput(textXml), { allowXml: true }).ok, false);
  });
});

function asInput(value: { body: string; headers: Record<string, string> }): CallbackResponseInput {
  const bodyBytes = Buffer.from(value.body);
  return { status: 200, headers: value.headers, bodyBytes, contentLength: bodyBytes.length };
}

describe('callbackFailureMessage', () => {
  it('uses OSS wording for connect failures, timeouts and TLS failures', () => {
    assert.equal(
      callbackFailureMessage('connect'),
      'Error status : -1. OSS can not connect to your callbackUrl, please check it.',
    );
    assert.equal(
      callbackFailureMessage('timeout', { authority: '8.8.8.8:9090', costMs: 5000, timeoutMs: 5000 }),
      'Error status : -1. 8.8.8.8:9090 reply timeout, cost: 5000 MS, timeout: 5000 MS',
    );
    assert.equal(callbackFailureMessage('tls'), 'Error status : 502.');
  });
});
