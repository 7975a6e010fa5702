import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config/config-error.js';
import { describePrivateKey } from './read-or-create-callback-key.js';
import { readRetiredCallbackKeys, retiredKeysPathFor } from './retired-callback-keys.js';
import { rotateCallbackKey } from './rotate-callback-key.js';
import { generateTestKeyPems, sequenceOf } from './testing/generate-test-key-pems.js';

const hourMs = 3_600_000;
const t0 = Date.UTC(2025, 0, 2, 3, 4, 5);

describe('rotateCallbackKey', () => {
  let dir = '';
  let pems: string[] = [];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'upcall-rotate-'));
    pems = generateTestKeyPems(4);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const fingerprintOf = (pem: string) => describePrivateKey(createPrivateKey(pem)).fingerprint;

  it('replaces the key file (0600) and records the old public key with its retirement time and grace end', async () => {
    const keyFile = join(dir, 'callback-key.pem');
    await writeFile(keyFile, pems[0]!, { mode: 0o600 });
    const rotation = await rotateCallbackKey({
      keyFile,
      bits: 1024,
      gracePeriodMs: 24 * hourMs,
      nowMs: t0,
      generatePem: sequenceOf([pems[1]!]),
    });
    assert.equal(await readFile(keyFile, 'utf8'), pems[1]);
    assert.equal((await stat(keyFile)).mode & 0o777, 0o600);
    assert.equal(rotation.newFingerprint, fingerprintOf(pems[1]!));
    assert.equal(rotation.retiredKeysFile, join(dir, 'callback-key.retired.json'));
    const retired = await readRetiredCallbackKeys(keyFile);
    assert.deepEqual(retired, [
      {
        fingerprint: fingerprintOf(pems[0]!),
        publicKeyPem: describePrivateKey(createPrivateKey(pems[0]!)).publicKeyPem,
        retiredAtMs: t0,
        servedUntilMs: t0 + 24 * hourMs,
      },
    ]);
    assert.doesNotMatch(await readFile(rotation.retiredKeysFile, 'utf8'), /PRIVATE KEY/);
    assert.deepEqual((await readdir(dir)).sort(), ['callback-key.pem', 'callback-key.retired.json']);
  });

  it('keeps retired keys still in their grace period and drops those whose grace period ended', async () => {
    const keyFile = join(dir, 'callback-key.pem');
    const second = await rotateCallbackKey({
      keyFile,
      bits: 1024,
      gracePeriodMs: hourMs,
      nowMs: t0 + 2 * hourMs,
      generatePem: sequenceOf([pems[2]!]),
    });
    assert.deepEqual(
      second.stillServed.map((key) => key.fingerprint),
      [fingerprintOf(pems[0]!), fingerprintOf(pems[1]!)],
    );
    const third = await rotateCallbackKey({
      keyFile,
      bits: 1024,
      gracePeriodMs: 0,
      nowMs: t0 + 25 * hourMs,
      generatePem: sequenceOf([pems[3]!]),
    });
    // pems[0] ended at t0+24h, pems[1] at t0+3h; pems[2] is retired with no grace at all.
    assert.deepEqual(third.stillServed, []);
    assert.deepEqual(
      (await readRetiredCallbackKeys(keyFile)).map((key) => key.fingerprint),
      [fingerprintOf(pems[2]!)],
    );
  });

  it('refuses to rotate a key file that does not exist, without writing anything', async () => {
    const keyFile = join(dir, 'elsewhere', 'key.pem');
    const rotation = rotateCallbackKey({ keyFile, bits: 1024, gracePeriodMs: hourMs, nowMs: t0 });
    await assert.rejects(rotation, ConfigError);
    await assert.rejects(stat(retiredKeysPathFor(keyFile)));
  });

  it('refuses a retired keys file whose fingerprint does not match its key', async () => {
    const keyFile = join(dir, 'tampered.pem');
    await writeFile(keyFile, pems[0]!, { mode: 0o600 });
    const entry = {
      fingerprint: fingerprintOf(pems[1]!),
      retiredAt: new Date(t0).toISOString(),
      servedUntil: new Date(t0 + hourMs).toISOString(),
      publicKeyPem: describePrivateKey(createPrivateKey(pems[0]!)).publicKeyPem,
    };
    await writeFile(retiredKeysPathFor(keyFile), JSON.stringify({ retiredCallbackKeys: [entry] }));
    await assert.rejects(readRetiredCallbackKeys(keyFile), /does not match its key/);
    const rotation = rotateCallbackKey({
      keyFile,
      bits: 1024,
      gracePeriodMs: hourMs,
      nowMs: t0,
      generatePem: sequenceOf([pems[2]!]),
    });
    await assert.rejects(rotation, ConfigError);
    assert.equal(await readFile(keyFile, 'utf8'), pems[0]);
  });
});
