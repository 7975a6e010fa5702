import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Ticket, TicketRequest } from './ticket.js';
import { createTicketCache, isTicketReusable } from './ticket-cache.js';
import { ticketFromOfficialDemo } from './ticket-from-official-demo.js';

const nowMs = 1_700_000_000_000;
const request = (fileName: string): TicketRequest => ({ fileName, size: 1, contentType: 'image/png' });

const demoJson = {
  accessid: 'AK',
  host: 'https://b.oss-cn-hangzhou.aliyuncs.com',
  policy: 'cA==',
  signature: 'c2ln',
  expire: nowMs / 1000 + 300,
  dir: 'user-dir/',
};

describe('isTicketReusable', () => {
  it('shares prefix tickets with an expiry (the official demo shape)', () => {
    assert.equal(isTicketReusable(ticketFromOfficialDemo(demoJson)), true);
    assert.equal(
      isTicketReusable({ host: 'https://h', fields: { key: 'dir/${filename}' }, expire: 1 }),
      true,
    );
  });

  it('never shares app-kit tickets, exact keys, or tickets without an expiry', () => {
    const base = { host: 'https://h', fields: {}, expire: nowMs / 1000 + 300 };
    assert.equal(
      isTicketReusable({ ...base, keyPrefix: 'p/', uploadId: 'u-1' }),
      false,
      'one-time upload id',
    );
    assert.equal(isTicketReusable({ ...base, key: 'p/a.png' }), false, 'exact key property');
    assert.equal(isTicketReusable({ ...base, fields: { Key: 'p/a.png' } }), false, 'exact key field');
    assert.equal(isTicketReusable(ticketFromOfficialDemo(demoJson, 'a.png')), false, 'demo bound to a file');
    assert.equal(isTicketReusable({ host: 'https://h', fields: {}, keyPrefix: 'p/' }), false, 'no expire');
  });
});

describe('createTicketCache', () => {
  function countingSource(
    make: (n: number) => Ticket,
  ): ((r: TicketRequest) => Promise<Ticket>) & { calls: number } {
    const source = Object.assign(
      (): Promise<Ticket> => {
        source.calls += 1;
        return Promise.resolve(make(source.calls));
      },
      { calls: 0 },
    );
    return source;
  }

  it('reuses a prefix ticket for further files until it is within the margin of expiry', async () => {
    let clockMs = nowMs;
    const source = countingSource((n) =>
      ticketFromOfficialDemo({ ...demoJson, policy: `p${n}`, expire: clockMs / 1000 + 300 }),
    );
    const cached = createTicketCache(source, { marginMs: 60_000, now: () => clockMs });
    const first = await cached(request('a.png'));
    assert.equal(await cached(request('b.png')), first);
    clockMs += 239_000; // 61 s left
    assert.equal(await cached(request('c.png')), first);
    clockMs += 2_000; // 59 s left: inside the margin
    const renewed = await cached(request('d.png'));
    assert.notEqual(renewed, first);
    assert.equal(source.calls, 2);
  });

  it('fetches a fresh ticket for every file when tickets are single-use', async () => {
    const source = countingSource((n) => ({
      host: 'https://h',
      fields: {},
      keyPrefix: 'p/',
      uploadId: `u-${n}`,
      expire: nowMs / 1000 + 300,
    }));
    const cached = createTicketCache(source, { now: () => nowMs });
    const tickets = [await cached(request('a')), await cached(request('b')), await cached(request('c'))];
    assert.deepEqual(
      tickets.map((t) => t.uploadId),
      ['u-1', 'u-2', 'u-3'],
    );
  });

  it('lets files added together share one ticket request', async () => {
    const source = countingSource(() => ticketFromOfficialDemo(demoJson));
    const cached = createTicketCache(source, { now: () => nowMs });
    const tickets = await Promise.all(['a', 'b', 'c'].map((name) => cached(request(name))));
    assert.equal(source.calls, 1);
    assert.ok(tickets.every((ticket) => ticket === tickets[0]));
  });

  it('does not hand a failed shared request to the next caller', async () => {
    let calls = 0;
    const cached = createTicketCache(
      () =>
        ++calls === 1 ? Promise.reject(new Error('down')) : Promise.resolve(ticketFromOfficialDemo(demoJson)),
      { now: () => nowMs },
    );
    const [first, second] = await Promise.allSettled([cached(request('a')), cached(request('b'))]);
    assert.equal(first.status, 'rejected');
    assert.equal(second.status, 'fulfilled');
    assert.equal(calls, 2);
  });
});
