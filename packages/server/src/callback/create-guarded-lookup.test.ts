import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { createGuardedLookup, refusedTargetErrorCode } from './create-guarded-lookup.js';

/** A resolver answering from a table — DNS is not what is under test here, the guard is. */
function tableLookup(table: Record<string, string[]>): LookupFunction {
  return (hostname, options, callback) => {
    const addresses = table[hostname];
    if (addresses === undefined) {
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      return;
    }
    const answers: LookupAddress[] = addresses.map((address) => ({
      address,
      family: address.includes(':') ? 6 : 4,
    }));
    if (options.all === true) callback(null, answers);
    else callback(null, answers[0]?.address ?? '', answers[0]?.family ?? 4);
  };
}

function resolve(
  lookup: LookupFunction,
  hostname: string,
  all: boolean,
): Promise<{ error: NodeJS.ErrnoException | null; address: unknown }> {
  return new Promise((done) => lookup(hostname, { all }, (error, address) => done({ error, address })));
}

describe('createGuardedLookup', () => {
  const guarded = createGuardedLookup(
    tableLookup({
      'public.test': ['93.184.216.34'],
      'loopback.test': ['127.0.0.1'],
      'metadata.test': ['169.254.169.254'],
      'mixed.test': ['93.184.216.34', '10.0.0.1'],
      'mapped.test': ['::ffff:127.0.0.1'],
      'v6.test': ['2606:4700:4700::1111'],
    }),
  );

  it('passes public answers through unchanged, single and all', async () => {
    assert.deepEqual(await resolve(guarded, 'public.test', false), { error: null, address: '93.184.216.34' });
    const all = await resolve(guarded, 'v6.test', true);
    assert.equal(all.error, null);
    assert.deepEqual(all.address, [{ address: '2606:4700:4700::1111', family: 6 }]);
  });

  it('refuses a name whose answer is loopback, link-local metadata or IPv4-mapped loopback', async () => {
    for (const name of ['loopback.test', 'metadata.test', 'mapped.test']) {
      for (const all of [false, true]) {
        const { error } = await resolve(guarded, name, all);
        assert.equal(error?.code, refusedTargetErrorCode, `${name} all=${all}`);
      }
    }
  });

  it('refuses a name when any one of its answers is private', async () => {
    const { error } = await resolve(guarded, 'mixed.test', true);
    assert.equal(error?.code, refusedTargetErrorCode);
  });

  it('passes resolver errors through', async () => {
    const { error } = await resolve(guarded, 'nowhere.test', false);
    assert.equal(error?.code, 'ENOTFOUND');
  });
});
