import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildDemoUserCookie, createDemoUserId, readDemoUserId } from './demo-user.js';

describe('demo user cookie', () => {
  it('round-trips an id it created', () => {
    const id = createDemoUserId(() => new Uint8Array(16).fill(7));
    assert.equal(id, 'BwcHBwcHBwcHBwcHBwcHBw');
    assert.equal(readDemoUserId(`theme=dark; ${buildDemoUserCookie(id).split(';')[0]}; other=1`), id);
  });

  it('ignores ids it could not have issued', () => {
    for (const header of [
      undefined,
      null,
      '',
      'demo_uid=',
      'demo_uid=short',
      'demo_uid=../../etc/passwd00',
      'xdemo_uid=BwcHBwcHBwcHBwcHBwcHBw',
    ]) {
      assert.equal(readDemoUserId(header), undefined, String(header));
    }
  });

  it('sets the cookie HttpOnly and SameSite=Strict for the whole site', () => {
    assert.match(
      buildDemoUserCookie('BwcHBwcHBwcHBwcHBwcHBw'),
      /^demo_uid=BwcHBwcHBwcHBwcHBwcHBw; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict$/,
    );
  });
});
