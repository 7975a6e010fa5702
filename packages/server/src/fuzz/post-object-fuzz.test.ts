// Fuzzes the PostObject front door (threats §B4, §C1–§C3, key takeaway 1) with random and mutated
// multipart forms sent over raw sockets to a live in-process server backed by a throw-away FsObjectStore.
// Each form starts as a valid signed upload (half of them with a callback pinned by the policy to a
// loopback target); mutations drop, duplicate, reorder, rename and corrupt parts, boundaries, framing and
// bytes. After every response (fuzz-oracle.ts): no uncaught exception or unhandled rejection, no 5xx, no
// hang, no temp file, and no object stored (or callback sent) unless the request carried the signed auth
// fields unchanged and the object fits the policy; unmutated forms must succeed. Seeded: FC_SEED / FC_RUNS
// reproduce or widen a run, FC_END_ON_FAILURE=1 skips shrinking.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { TestServer } from '../http/testing/start-test-server.js';
import {
  openTempFsStore,
  publicBucket,
  startPostObjectServer,
  testBucket,
  type TempFsStore,
} from '../operations/post-object/testing/post-object-test-server.js';
import { buildFuzzRequest, fuzzCase, type FuzzCase } from './fuzz-case.js';
import { checkAnswer, checkStored, summariseExchange, type Exchange } from './fuzz-oracle.js';
import { sendRawRequest } from './send-raw-request.js';
import { startCallbackTarget, type CallbackTarget } from './start-callback-target.js';
import { changedObjects, snapshotStore, waitForNoTempFiles } from './store-probe.js';

const numRuns = Number(process.env['FC_RUNS'] ?? 1000);
const seed = Number(process.env['FC_SEED'] ?? 0x5eed);
const endOnFailure = process.env['FC_END_ON_FAILURE'] === '1';

/** fc.assert, with the failing assertion's own message in the thrown error (node:test omits `cause`). */
async function assertWithCause(property: fc.IAsyncProperty<[FuzzCase]>): Promise<void> {
  try {
    await fc.assert(property, {
      numRuns,
      seed,
      endOnFailure,
      interruptAfterTimeLimit: 180_000,
      markInterruptAsFailure: false,
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `\n${error.cause.message}` : '';
    throw new Error(`${error instanceof Error ? error.message : String(error)}${cause}`, { cause: error });
  }
}

describe('PostObject front door under random and mutated multipart forms (threats §B4, §C3)', () => {
  let fs: TempFsStore;
  let server: TestServer;
  // Loopback only, and every callback is pinned by an `eq` condition: no mutated form can make the
  // server dial anything else.
  let target: CallbackTarget;
  let callbackParam: string;
  const escaped: unknown[] = [];
  const onEscape = (error: unknown): void => {
    escaped.push(error);
  };

  before(async () => {
    process.on('uncaughtException', onEscape);
    process.on('unhandledRejection', onEscape);
    fs = await openTempFsStore();
    server = await startPostObjectServer({ store: fs.store });
    target = await startCallbackTarget();
    const callbackBody = 'object=${object}&size=${size}&tag=${x:tag}';
    callbackParam = Buffer.from(JSON.stringify({ callbackUrl: target.url, callbackBody })).toString('base64');
  });
  after(async () => {
    process.off('uncaughtException', onEscape);
    process.off('unhandledRejection', onEscape);
    await server.close();
    await target.close();
    await fs.remove();
  });

  let serial = 0;

  async function exchange(c: FuzzCase): Promise<Exchange> {
    const request = buildFuzzRequest(c, ++serial, callbackParam);
    const buckets = [testBucket, publicBucket];
    const before = await snapshotStore(server.store, buckets);
    const callbacksBefore = target.bodies.length;
    const response = await sendRawRequest({
      port: server.port,
      path: `/${testBucket}`,
      contentType: request.form.contentType,
      headers: request.form.extraHeaders,
      body: request.body,
      framing: request.form.framing,
      timeoutMs: 15_000,
    });
    await waitForNoTempFiles(() => fs.listTempFiles());
    const after = await snapshotStore(server.store, buckets);
    return {
      request,
      response,
      summary: summariseExchange(response),
      changed: changedObjects(before, after),
      objects: [...after.values()],
      callbacks: target.bodies.slice(callbacksBefore),
    };
  }

  it(
    'never crashes, never answers 5xx, stores only signed uploads within the policy, leaves no temp file',
    {
      timeout: 240_000,
    },
    async (t) => {
      const histogram = new Map<string, number>();
      let tried = 0;
      let stored = 0;
      const startedMs = Date.now();
      await assertWithCause(
        fc.asyncProperty(fuzzCase, async (c) => {
          const result = await exchange(c);
          tried += 1;
          stored += result.changed.length;
          const label = `${result.summary.status ?? 'closed'} ${result.summary.code ?? ''}`.trim();
          histogram.set(label, (histogram.get(label) ?? 0) + 1);
          assert.deepEqual(escaped, [], 'an exception escaped the request boundary');
          checkAnswer(result);
          checkStored(result);
        }),
      );
      const rows = [...histogram].sort((a, b) => b[1] - a[1]).map(([label, count]) => `${count}× ${label}`);
      t.diagnostic(
        `post-object fuzz: seed ${seed}, ${tried} inputs in ${Date.now() - startedMs} ms, ` +
          `${stored} stored, ${target.bodies.length} callbacks`,
      );
      t.diagnostic(`status histogram: ${rows.join(', ')}`);
      assert.ok(stored > 0, 'no form was ever stored: the oracle never saw a success');

      const [sample] = fc.sample(fuzzCase, { numRuns: 1, seed });
      const final = await exchange({ ...sample!, structural: [], bytes: [] });
      assert.ok(final.request.pristine);
      checkStored(final);
      assert.deepEqual(escaped, []);
    },
  );
});
