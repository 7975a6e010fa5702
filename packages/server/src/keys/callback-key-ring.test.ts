import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config/config-error.js';
import {
  buildAdvertisedKeyUrl,
  buildFingerprintKeyName,
  devKeyProxyUrl,
  fingerprintPublicKey,
} from './callback-key-names.js';
import {
  CallbackKeyRing,
  readCallbackKeySet,
  toCallbackKeyRing,
  type CallbackKeySet,
} from './callback-key-ring.js';
import { describePrivateKey } from './read-or-create-callback-key.js';
import { generateTestKeyPems } from './testing/generate-test-key-pems.js';

describe('callback key ring', () => {
  let dir = '';
  let pems: string[] = [];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'upcall-ring-'));
    pems = generateTestKeyPems(2);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  function currentOf(pem: string) {
    const privateKey = createPrivateKey(pem);
    return { privateKey, ...describePrivateKey(privateKey) };
  }

  it('fingerprints a key as the first 32 hex digits of SHA-256 over its DER SubjectPublicKeyInfo', () => {
    const { publicKeyPem } = currentOf(pems[0]!);
    const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
    const expected = createHash('sha256').update(der).digest('hex').slice(0, 32);
    assert.equal(fingerprintPublicKey(publicKeyPem), expected);
  });

  it('advertises the fingerprint URL by default, a configured template, or the dev key URL', () => {
    const fp = 'ab'.repeat(16);
    const endpoint = 'https://oss.example';
    assert.equal(
      buildAdvertisedKeyUrl({ publicEndpoint: endpoint }, fp),
      `${endpoint}/_upcall/callback-public-key-${fp}.pem`,
    );
    const template = 'https://keys.example/upcall/{fingerprint}.pem';
    assert.equal(
      buildAdvertisedKeyUrl({ publicEndpoint: endpoint, callbackKeyUrl: template }, fp),
      `https://keys.example/upcall/${fp}.pem`,
    );
    assert.equal(
      buildAdvertisedKeyUrl({ publicEndpoint: endpoint, callbackKeyUrl: 'https://keys.example/k.pem' }, fp),
      'https://keys.example/k.pem',
    );
    assert.equal(buildAdvertisedKeyUrl({ publicEndpoint: endpoint, devKeyProxy: true }, fp), devKeyProxyUrl);
  });

  it('serves the current key under both names and a retired key only until its grace period ends', () => {
    const current = currentOf(pems[0]!);
    const old = currentOf(pems[1]!);
    const set: CallbackKeySet = {
      current,
      retired: [
        { fingerprint: old.fingerprint, publicKeyPem: old.publicKeyPem, retiredAtMs: 0, servedUntilMs: 1000 },
      ],
      keyFile: undefined,
      created: false,
    };
    const ring = new CallbackKeyRing(set, { publicEndpoint: 'http://127.0.0.1:9000' });
    assert.deepEqual(ring.findPublicKey('callback-public-key.pem', 0), {
      publicKeyPem: current.publicKeyPem,
      immutable: false,
    });
    assert.equal(
      ring.findPublicKey(buildFingerprintKeyName(current.fingerprint), 5000)?.publicKeyPem,
      current.publicKeyPem,
    );
    assert.equal(
      ring.findPublicKey(buildFingerprintKeyName(old.fingerprint), 999)?.publicKeyPem,
      old.publicKeyPem,
    );
    assert.equal(ring.findPublicKey(buildFingerprintKeyName(old.fingerprint), 1000), undefined);
    assert.equal(ring.findPublicKey(buildFingerprintKeyName('0'.repeat(32)), 0), undefined);
    assert.equal(
      ring.findPublicKey(`callback-public-key-${current.fingerprint.toUpperCase()}.pem`, 0),
      undefined,
    );
    assert.equal(
      ring.publicKeyUrl,
      `http://127.0.0.1:9000/_upcall/${buildFingerprintKeyName(current.fingerprint)}`,
    );
  });

  it('reads an operator key file as given and refuses a missing one instead of generating it', async () => {
    const keyFile = join(dir, 'operator.pem');
    await writeFile(keyFile, pems[0]!, { mode: 0o600 });
    const config = { dataDir: join(dir, 'data'), callbackKeyBits: 1024, callbackPrivateKeyFile: keyFile };
    const set = await readCallbackKeySet(config);
    assert.deepEqual(
      [set.current.fingerprint, set.keyFile, set.created],
      [currentOf(pems[0]!).fingerprint, keyFile, false],
    );
    const missing = { ...config, callbackPrivateKeyFile: join(dir, 'absent.pem') };
    await assert.rejects(readCallbackKeySet(missing), ConfigError);
    assert.deepEqual((await readdir(dir)).sort(), ['operator.pem']);
  });

  it('wraps a hand-built signing key in a ring that serves only that key and cannot reload', async () => {
    const current = currentOf(pems[1]!);
    const key = {
      privateKey: current.privateKey,
      publicKeyPem: current.publicKeyPem,
      publicKeyUrl: 'http://x.example/k.pem',
    };
    const ring = toCallbackKeyRing(key);
    assert.equal(toCallbackKeyRing(key), ring);
    assert.equal(ring.publicKeyUrl, 'http://x.example/k.pem');
    assert.equal(
      ring.findPublicKey(buildFingerprintKeyName(current.fingerprint), 0)?.publicKeyPem,
      current.publicKeyPem,
    );
    await assert.rejects(ring.reload(), /nothing to reload/);
  });
});
