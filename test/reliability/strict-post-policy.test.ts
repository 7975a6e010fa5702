// --strict-post-policy (threats §C2 item 19): with it, a PostObject form field that no policy condition
// names is refused with 403 AccessDenied and nothing is stored; without it (the default, OSS semantics,
// oss-protocol §4.3) the same form is accepted. Real HTTP against an in-process server on a temp store.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { extraFieldMessage } from '@upcall/protocol';
import {
  openHostileFixture,
  type Fields,
  type HostileFixture,
} from '../../packages/server/src/operations/post-object/testing/hostile-fixture.js';
import {
  readErrorCode,
  readErrorMessage,
} from '../../packages/server/src/operations/post-object/testing/post-form-client.js';
import { testBucket } from '../../packages/server/src/operations/post-object/testing/post-object-test-server.js';

/** A form whose policy pins the key (and whatever `pinned` adds), plus `extra` unpinned fields. */
function form(fx: HostileFixture, key: string, extra: Fields, version: 'v1' | 'v4' = 'v1'): Fields {
  return [['key', key], ...extra, ...fx.signed([['eq', '$key', key]], version)];
}

describe('PostObject with --strict-post-policy (threats §C2.19)', () => {
  let strict: HostileFixture;
  let lenient: HostileFixture;
  before(async () => {
    strict = await openHostileFixture({ strictPostPolicy: true });
    lenient = await openHostileFixture();
  });
  after(async () => {
    await strict.close();
    await lenient.close();
  });

  const unpinned: Fields = [
    ['x-oss-object-acl', 'public-read-write'],
    ['x-oss-meta-role', 'admin'],
    ['success_action_redirect', 'https://evil.example/'],
    ['x:uid', '1'],
  ];

  it('refuses each unpinned field with 403 AccessDenied and stores nothing, V1 and V4', async () => {
    for (const version of ['v1', 'v4'] as const) {
      for (const [name, value] of unpinned) {
        const key = `strict/${version}/${name}`;
        const res = await strict.post(form(strict, key, [[name, value]], version));
        assert.equal(res.status, 403, res.text);
        assert.equal(readErrorCode(res.text), 'AccessDenied');
        assert.equal(
          readErrorMessage(res.text),
          `Invalid according to Policy: ${extraFieldMessage} Extra field: ${name}.`,
        );
        assert.equal(await strict.server.store.head(testBucket, key), undefined);
      }
    }
    await strict.waitForNoTempFiles();
  });

  it('accepts a form whose every field is pinned, and x-ignore-* fields', async () => {
    const key = 'strict/pinned';
    const res = await strict.post([
      ['key', key],
      ['x-oss-meta-role', 'viewer'],
      ['x-ignore-submit', 'Upload'],
      ...strict.signed([
        ['eq', '$key', key],
        ['starts-with', '$x-oss-meta-role', ''],
      ]),
    ]);
    assert.equal(res.status, 204, res.text);
    assert.equal((await strict.server.store.head(testBucket, key))?.userMeta.role, 'viewer');
  });

  it('accepts the same unpinned fields without the flag (OSS semantics)', async () => {
    const key = 'lenient/extra';
    const res = await lenient.post(form(lenient, key, unpinned.slice(0, 2)));
    assert.equal(res.status, 204, res.text);
    const stored = await lenient.server.store.head(testBucket, key);
    assert.equal(stored?.acl, 'public-read-write');
    assert.equal(stored?.userMeta.role, 'admin');
  });
});
