import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  createFaultInjector,
  fsyncFaultPoints,
  parseFaultInjection,
} from '../../../packages/server/src/store/fault-injection.js';

describe('the fsync fault points the power-loss audit uses', () => {
  it('accepts skip only at data-fsync and dir-fsync, and the commit-step actions there too', () => {
    assert.deepEqual([...fsyncFaultPoints], ['data-fsync', 'dir-fsync']);
    assert.equal(parseFaultInjection('data-fsync:skip,dir-fsync:skip:2-').length, 2);
    assert.equal(parseFaultInjection('data-fsync:eio:1')[0]?.action, 'eio');
    for (const text of ['after-data-write:skip', 'data-fsynk:skip', 'dir-fsync:skip:0']) {
      assert.throws(() => parseFaultInjection(text), /UPCALL_FAULT_INJECTION/, text);
    }
  });

  it('tells the store to skip only on the arrivals in range, and throws for eio as before', () => {
    const inject = createFaultInjector(parseFaultInjection('data-fsync:skip:2,dir-fsync:eio:1'));
    assert.deepEqual(
      [inject('data-fsync'), inject('data-fsync'), inject('data-fsync'), inject('after-data-write')],
      [false, true, false, false],
    );
    assert.throws(() => inject('dir-fsync'), { code: 'EIO' });
    assert.equal(inject('dir-fsync'), false);
  });
});
