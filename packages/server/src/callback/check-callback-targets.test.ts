import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCallbackParam } from '@upcall/protocol';
import {
  checkCallbackTargets,
  classifyCallbackHost,
  privateCallbackTargetEc,
} from './check-callback-targets.js';

function configFor(callbackUrl: string): ReturnType<typeof parseCallbackParam> {
  return parseCallbackParam(
    Buffer.from(JSON.stringify({ callbackUrl, callbackBody: 'a=1' })).toString('base64'),
  );
}

describe('checkCallbackTargets', () => {
  it('lets every target through in dev mode', () => {
    assert.equal(checkCallbackTargets(configFor('http://127.0.0.1:9/cb'), 'dev').ok, true);
  });

  it('refuses IP literals outside public unicast in public-only mode, after URL normalisation', () => {
    for (const host of [
      '127.0.0.1',
      '0x7f.1',
      '2130706433',
      '127.1',
      '0177.0.0.1',
      '169.254.169.254',
      '100.100.100.200',
      '10.1.2.3',
      '192.168.0.1',
      '0.0.0.0',
    ]) {
      const verdict = checkCallbackTargets(configFor(`http://${host}:8080/cb`), 'public-only');
      assert.equal(verdict.ok, false, host);
      if (!verdict.ok) {
        assert.equal(verdict.error.code, 'InvalidArgument');
        assert.equal(verdict.error.ec, privateCallbackTargetEc);
        assert.deepEqual(verdict.error.extra[0], ['ArgumentName', 'callback']);
      }
    }
  });

  it('refuses the whole parameter when any one of several URLs is private', () => {
    assert.equal(
      checkCallbackTargets(configFor('http://8.8.8.8/a;http://127.0.0.1/b'), 'public-only').ok,
      false,
    );
  });

  it('accepts public IP literals and defers host names to the connect-time check', () => {
    assert.equal(
      checkCallbackTargets(configFor('http://8.8.8.8/cb;https://app.example.com/cb'), 'public-only').ok,
      true,
    );
  });

  it('treats localhost and *.localhost as loopback names', () => {
    assert.equal(classifyCallbackHost('localhost'), 'localhost');
    assert.equal(classifyCallbackHost('api.LOCALHOST'), 'localhost');
    assert.equal(classifyCallbackHost('localhost.example.com'), undefined);
    assert.equal(classifyCallbackHost('[::1]'), 'loopback');
    assert.equal(classifyCallbackHost('[::ffff:7f00:1]'), 'loopback');
  });
});
