import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from './config-error.js';
import { parseDurationMs } from './parse-duration.js';
import { defaultGracePeriodMs, parseKeysRotateFlags } from './parse-keys-rotate-flags.js';

describe('parseKeysRotateFlags', () => {
  it('defaults to the data directory key, 2048 bits and a 24 h grace period', () => {
    const flags = parseKeysRotateFlags([], {}, '/srv');
    assert.deepEqual(flags, {
      help: false,
      dataDir: '/srv/.upcall',
      callbackPrivateKey: undefined,
      callbackKeyBits: 2048,
      gracePeriodMs: defaultGracePeriodMs,
    });
    assert.equal(defaultGracePeriodMs, 86_400_000);
  });

  it('reads the same key location variables as the server, and lets flags win', () => {
    const env = {
      UPCALL_CALLBACK_PRIVATE_KEY: 'shared.pem',
      UPCALL_DATA_DIR: '/data',
      UPCALL_GRACE_PERIOD: '2h',
    };
    const fromEnv = parseKeysRotateFlags([], env, '/etc/upcall');
    assert.deepEqual(
      [fromEnv.callbackPrivateKey, fromEnv.dataDir, fromEnv.gracePeriodMs],
      ['/etc/upcall/shared.pem', '/data', 7_200_000],
    );
    assert.equal(parseKeysRotateFlags(['--grace-period', '90s'], env, '/').gracePeriodMs, 90_000);
  });

  it('refuses server-only flags and bad durations', () => {
    assert.throws(() => parseKeysRotateFlags(['--port', '9000'], {}, '/'), ConfigError);
    assert.throws(() => parseKeysRotateFlags(['--grace-period', '24'], {}, '/'), /--grace-period="24"/);
  });
});

describe('parseDurationMs', () => {
  it('reads a whole number with one unit, or 0', () => {
    const cases: Array<[string, number]> = [
      ['0', 0],
      ['250ms', 250],
      ['90s', 90_000],
      ['30m', 1_800_000],
      ['24h', 86_400_000],
      ['7d', 604_800_000],
    ];
    for (const [text, ms] of cases) assert.equal(parseDurationMs(text), ms, text);
  });

  it('refuses a missing unit, fractions, negative numbers and more than a year', () => {
    for (const text of ['5', '1.5h', '-1h', '1w', 'h', '', '366d']) {
      assert.throws(() => parseDurationMs(text), Error, text);
    }
  });
});
