import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSign, createVerify } from 'node:crypto';
import { ConfigError } from '../config/config-error.js';
import { readOrCreateCallbackKey } from './read-or-create-callback-key.js';
import { readOrCreateCredentials } from './read-or-create-credentials.js';

describe('data-directory keys', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'upcall-keys-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('generates a credential pair once, owner-only, and reuses it on the next start', async () => {
    const first = await readOrCreateCredentials(join(dir, 'data'));
    assert.equal(first.created, true);
    assert.match(first.accessKeyId, /^UPC[A-Z0-9]{21}$/);
    assert.match(first.accessKeySecret, /^[A-Za-z0-9]{30}$/);
    assert.equal((await stat(first.path)).mode & 0o777, 0o600);
    const second = await readOrCreateCredentials(join(dir, 'data'));
    assert.deepEqual(
      [second.created, second.accessKeyId, second.accessKeySecret],
      [false, first.accessKeyId, first.accessKeySecret],
    );
    assert.deepEqual(await readdir(join(dir, 'data')), ['credentials.json']);
  });

  it('hands concurrent first starts the same credential pair', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => readOrCreateCredentials(dir)));
    assert.equal(new Set(results.map((r) => r.accessKeySecret)).size, 1);
    assert.equal(results.filter((r) => r.created).length, 1);
  });

  it('refuses a damaged credentials file instead of replacing it', async () => {
    await writeFile(join(dir, 'credentials.json'), '{"accessKeyId": 42}');
    await assert.rejects(readOrCreateCredentials(dir), ConfigError);
  });

  it('generates the RSA callback key once (0600 PKCS#8), reuses it, and serves a matching public key', async () => {
    const first = await readOrCreateCallbackKey(dir, 1024);
    assert.equal(first.created, true);
    assert.equal((await stat(first.path)).mode & 0o777, 0o600);
    assert.match(first.publicKeyPem, /^-----BEGIN PUBLIC KEY-----\n/);
    const second = await readOrCreateCallbackKey(dir, 1024);
    assert.equal(second.created, false);
    assert.equal(second.publicKeyPem, first.publicKeyPem);
    const signature = createSign('RSA-MD5').update('payload').sign(second.privateKey);
    assert.equal(createVerify('RSA-MD5').update('payload').verify(first.publicKeyPem, signature), true);
  });

  it('refuses a callback key file that is not an RSA private key', async () => {
    await writeFile(join(dir, 'callback-key.pem'), 'not a key');
    await assert.rejects(readOrCreateCallbackKey(dir, 1024), ConfigError);
  });
});
