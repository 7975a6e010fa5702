import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildResponse } from './test-support/fake-transport.js';
import type { Ticket, TicketSource } from './ticket.js';
import type { Transport, TransportRequest, TransportResponse } from './transport.js';
import { AbortError } from './upload-errors.js';
import { createUploadQueue, type UploadItem } from './upload-queue.js';

const ticketSource: TicketSource = (request) =>
  Promise.resolve<Ticket>({
    host: 'http://127.0.0.1:9000',
    fields: { policy: 'p' },
    keyPrefix: 'u/',
    uploadId: request.fileName,
  });

/** A transport whose requests stay open until the test answers them, one by one. */
function createGatedTransport(): Transport & {
  open: Map<string, (r: TransportResponse) => void>;
  maxOpen: number;
  order: string[];
} {
  const open = new Map<string, (r: TransportResponse) => void>();
  const transport = {
    open,
    maxOpen: 0,
    order: [] as string[],
    send(request: TransportRequest): Promise<TransportResponse> {
      const name = (request.body.get('file') as File).name;
      transport.order.push(name);
      return new Promise((resolve, reject) => {
        open.set(name, (response) => {
          open.delete(name);
          resolve(response);
        });
        transport.maxOpen = Math.max(transport.maxOpen, open.size);
        request.signal.addEventListener('abort', () => {
          open.delete(name);
          reject(new AbortError());
        });
      });
    },
  };
  return transport;
}

const files = (...names: string[]): File[] => names.map((name) => new File([name], name));
const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('createUploadQueue', () => {
  it('runs at most `concurrency` uploads at once and starts them in the order added', async () => {
    const transport = createGatedTransport();
    const queue = createUploadQueue({ ticketSource, transport, concurrency: 2 });
    const items = queue.add(files('a', 'b', 'c', 'd', 'e'));
    await flush();
    assert.deepEqual([...transport.open.keys()], ['a', 'b']);
    assert.deepEqual(
      items.map((item) => item.state),
      ['uploading', 'uploading', 'queued', 'queued', 'queued'],
    );
    transport.open.get('b')?.(buildResponse(204));
    await flush();
    assert.deepEqual([...transport.open.keys()], ['a', 'c']);
    for (const name of ['a', 'c', 'd', 'e']) {
      await flush();
      transport.open.get(name)?.(buildResponse(204));
    }
    await queue.onIdle();
    assert.equal(transport.maxOpen, 2);
    assert.deepEqual(transport.order, ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(
      items.map((item) => [item.id, item.state, item.result?.status]),
      [
        ['upload-1', 'done', 'confirmed'],
        ['upload-2', 'done', 'confirmed'],
        ['upload-3', 'done', 'confirmed'],
        ['upload-4', 'done', 'confirmed'],
        ['upload-5', 'done', 'confirmed'],
      ],
    );
  });

  it('aborts running and queued items with abortAll and then becomes idle', async () => {
    const transport = createGatedTransport();
    const queue = createUploadQueue({ ticketSource, transport, concurrency: 1 });
    const items = queue.add(files('a', 'b', 'c'));
    await flush();
    queue.abortAll();
    await queue.onIdle();
    assert.deepEqual(
      items.map((item) => item.result?.status),
      ['aborted', 'aborted', 'aborted'],
    );
    assert.deepEqual(transport.order, ['a'], 'queued items never started');
    assert.equal(transport.open.size, 0);
  });

  it('aborts one item and moves on to the next', async () => {
    const transport = createGatedTransport();
    const queue = createUploadQueue({ ticketSource, transport, concurrency: 1 });
    const [first, second] = queue.add(files('a', 'b'));
    await flush();
    first?.abort();
    await flush();
    assert.equal(first?.result?.status, 'aborted');
    assert.equal(second?.state, 'uploading');
    transport.open.get('b')?.(buildResponse(200, '{"ok":1}'));
    await queue.onIdle();
    assert.deepEqual(second?.result?.status === 'confirmed' && second.result.body, { ok: 1 });
  });

  it('announces every state and progress change to listeners', async () => {
    const seen: string[] = [];
    const record = (item: UploadItem): void =>
      void seen.push(`${item.id}:${item.state}:${item.progress.loaded}`);
    const transport: Transport = {
      send: (request) => {
        request.onUploadProgress?.({ loaded: 50, total: 100 });
        return Promise.resolve(buildResponse(204));
      },
    };
    const queue = createUploadQueue({ ticketSource, transport, onItemChange: record, createId: () => 'x' });
    const extra: string[] = [];
    const unsubscribe = queue.subscribe((item) => extra.push(item.state));
    queue.add([new File(['1234'], 'f')]);
    await queue.onIdle();
    unsubscribe();
    assert.deepEqual(seen, [
      'x:queued:0',
      'x:uploading:0',
      'x:uploading:0',
      'x:uploading:2',
      'x:uploading:4',
      'x:done:4',
    ]);
    assert.equal(extra.length, seen.length);
  });

  it('is idle at once when empty and refuses a concurrency below one', async () => {
    await createUploadQueue({ ticketSource }).onIdle();
    assert.throws(() => createUploadQueue({ ticketSource, concurrency: 0 }), RangeError);
  });
});
