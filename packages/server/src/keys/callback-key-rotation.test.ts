// Rotation end to end: a real server on a data directory signs callbacks, `rotateCallbackKey` replaces
// the key, the restarted server signs with the new key while still serving the old one under its
// fingerprint URL until the grace period ends (clock injected).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { verifyCallbackSignature } from '@upcall/protocol';
import { buildTestConfig } from '../http/testing/start-test-server.js';
import {
  startCallbackReceiver,
  type CallbackReceiver,
  type ReceivedCallback,
} from '../operations/post-object/testing/callback-receiver.js';
import {
  fixedNowMs,
  testAccessKeyId,
  testAccessKeySecret,
} from '../operations/post-object/testing/post-object-test-server.js';
import { startServer, type RunningServer } from '../server.js';
import { MemoryObjectStore } from '../store/memory-object-store.js';
import { buildFingerprintKeyName } from './callback-key-names.js';
import { toCallbackKeyRing } from './callback-key-ring.js';
import { rotateCallbackKey } from './rotate-callback-key.js';
import { postCallbackUpload } from './testing/post-callback-upload.js';

const graceMs = 24 * 3_600_000;

describe('callback key rotation', () => {
  let dataDir = '';
  let nowMs = fixedNowMs;
  let receiver: CallbackReceiver;
  const servers: RunningServer[] = [];

  async function start(): Promise<RunningServer> {
    const config = buildTestConfig({ dataDir, callbackKeyBits: 1024 });
    const running = await startServer(config, {
      store: new MemoryObjectStore(),
      log: pino({ level: 'silent' }),
      now: () => nowMs,
    });
    servers.push(running);
    return running;
  }

  async function uploadTo(running: RunningServer, key: string): Promise<ReceivedCallback> {
    const res = await postCallbackUpload({
      port: running.deps.config.port,
      bucket: 'uploads',
      key,
      accessKeyId: testAccessKeyId,
      accessKeySecret: testAccessKeySecret,
      nowMs,
      callbackUrl: `${receiver.url}/done?k=${key}`,
    });
    assert.equal(res.status, 200, res.text);
    const received = receiver.received.at(-1);
    assert.ok(received !== undefined);
    return received;
  }

  async function fetchKey(running: RunningServer, name: string): Promise<Response> {
    return fetch(`${running.url}/_upcall/${name}`);
  }

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'upcall-rotation-'));
    receiver = await startCallbackReceiver();
  });
  after(async () => {
    await Promise.all(servers.map((running) => running.close()));
    await receiver.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves both keys during the grace period, signs new callbacks with the new key, and drops the old one after', async () => {
    const first = await start();
    const oldFingerprint = toCallbackKeyRing(first.deps.callbackKey).keySet.current.fingerprint;
    const oldCallback = await uploadTo(first, 'before.txt');
    assert.equal(oldCallback.signatureVerified, true);
    assert.equal(oldCallback.publicKeyUrl, `${first.url}/_upcall/${buildFingerprintKeyName(oldFingerprint)}`);
    await first.close();

    const rotatedAtMs = nowMs;
    await rotateCallbackKey({
      keyFile: join(dataDir, 'callback-key.pem'),
      bits: 1024,
      gracePeriodMs: graceMs,
      nowMs,
    });
    const second = await start();
    const newFingerprint = toCallbackKeyRing(second.deps.callbackKey).keySet.current.fingerprint;
    assert.notEqual(newFingerprint, oldFingerprint);

    const newCallback = await uploadTo(second, 'after.txt');
    assert.equal(newCallback.signatureVerified, true);
    assert.equal(
      newCallback.publicKeyUrl,
      `${second.url}/_upcall/${buildFingerprintKeyName(newFingerprint)}`,
    );
    const currentPem = await (await fetchKey(second, 'callback-public-key.pem')).text();
    assert.equal(currentPem, second.deps.callbackKey.publicKeyPem);

    // An in-flight verification of the old callback still finds the key that signed it.
    nowMs = rotatedAtMs + graceMs - 1;
    const oldKey = await fetchKey(second, buildFingerprintKeyName(oldFingerprint));
    assert.equal(oldKey.status, 200);
    assert.match(String(oldKey.headers.get('cache-control')), /immutable/);
    const oldPem = await oldKey.text();
    const verifyOld = (publicKey: string) =>
      verifyCallbackSignature({
        requestTarget: oldCallback.target,
        body: oldCallback.body,
        authorization: oldCallback.headers.authorization,
        publicKey,
      }).ok;
    assert.equal(verifyOld(oldPem), true);
    assert.equal(verifyOld(currentPem), false);

    nowMs = rotatedAtMs + graceMs;
    assert.equal((await fetchKey(second, buildFingerprintKeyName(oldFingerprint))).status, 404);
    assert.equal((await fetchKey(second, buildFingerprintKeyName(newFingerprint))).status, 200);
    assert.equal(await (await fetchKey(second, 'callback-public-key.pem')).text(), currentPem);
  });
});
