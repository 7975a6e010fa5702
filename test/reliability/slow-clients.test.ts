// Slow clients (threats §B9, §C4 items 35–36; docs/reliability.md "Load and exhaustion"): slowloris
// connections are closed at headersTimeoutMs and stalled bodies at idleTimeoutMs — their temp files
// removed — while normal uploads keep being served, and the server's fds return to their baseline.
// `upcall server` has no flag for these timeouts (defaults 20 s / 60 s), so the server runs through
// startServer with 2 s / 3 s (support/serve-with-timeouts.ts).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { putObject, type OssTarget } from './support/oss-requests.js';
import { countOpenFds, waitUntil } from './support/process-probe.js';
import { buildBody } from './support/seeded-random.js';
import { startServerWithConfig, type ServerProcess } from './support/server-process.js';
import { stallBody, trickleHeaders, type SlowClientResult } from './support/slow-clients.js';

const headersTimeoutMs = 2_000;
const idleTimeoutMs = 3_000;
/** Node checks header deadlines every connectionsCheckingInterval (1 s, server.ts); plus a loaded CI's slack. */
const slackMs = 5_000;
const slowConnections = Number(process.env.RELIABILITY_SLOW_CONNECTIONS ?? 1000);
const credentials = {
  accessKeyId: 'SLOWCLIENTTESTKEY0000001',
  accessKeySecret: 'slow-secret-00000000000000000',
};

/** Sequential 64 KiB uploads while `attack` runs; resolves with their statuses and the slowest one. */
async function uploadDuring(
  target: OssTarget,
  attack: Promise<unknown>,
): Promise<{ statuses: number[]; maxMs: number }> {
  let done = false;
  void attack.finally(() => (done = true));
  const statuses: number[] = [];
  let maxMs = 0;
  for (let n = 0; !done && n < 200; n += 1) {
    const startedMs = Date.now();
    statuses.push((await putObject(target, `during/${n}`, buildBody(n, 64 * 1024))).status);
    maxMs = Math.max(maxMs, Date.now() - startedMs);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { statuses, maxMs };
}

function summarise(results: readonly SlowClientResult[]): string {
  const open = results.map((r) => r.openMs).sort((a, b) => a - b);
  const lines = new Map<string, number>();
  for (const { statusLine } of results) {
    const label = statusLine || '(closed without a response)';
    lines.set(label, (lines.get(label) ?? 0) + 1);
  }
  return (
    `${results.filter((r) => r.closedByServer).length}/${results.length} closed by the server, open ` +
    `median ${open[Math.floor(open.length / 2)]} ms, max ${open.at(-1)} ms; ${JSON.stringify(Object.fromEntries(lines))}`
  );
}

describe('slow clients against short server timeouts', () => {
  let root: string;
  let server: ServerProcess;
  let baselineFds: number;
  const target = (): OssTarget => ({ port: server.port, bucket: 'slow', ...credentials });

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'upcall-slow-'));
    server = await startServerWithConfig({
      dataDir: join(root, 'data'),
      headersTimeoutMs,
      idleTimeoutMs,
      keepAliveTimeoutMs: 1_000,
    });
    assert.equal((await putObject(target(), 'warm-up', buildBody(1, 4 * 1024 * 1024))).status, 200);
    baselineFds = await countOpenFds(server.pid);
  });
  after(async () => {
    await server?.kill('SIGKILL');
    await rm(root, { recursive: true, force: true });
  });

  it(
    `closes ${slowConnections} slowloris connections at headersTimeoutMs while uploads are served`,
    { timeout: 60_000 },
    async (t) => {
      const attack = Promise.all(
        Array.from({ length: slowConnections }, () => trickleHeaders(server.port, 250, 20_000)),
      );
      const uploads = await uploadDuring(target(), attack);
      const results = await attack;
      t.diagnostic(
        `slowloris: ${summarise(results)}; ${uploads.statuses.length} uploads meanwhile, slowest ${uploads.maxMs} ms`,
      );
      assert.ok(
        results.every((r) => r.closedByServer),
        'a trickling connection outlived the headers timeout',
      );
      assert.ok(Math.max(...results.map((r) => r.openMs)) <= headersTimeoutMs + slackMs);
      assert.ok(
        uploads.statuses.length >= 3 && uploads.statuses.every((s) => s === 200),
        String(uploads.statuses),
      );
      const fds = await waitUntil(
        () => countOpenFds(server.pid),
        (n) => n <= baselineFds + 2,
        5_000,
      );
      assert.ok(fds <= baselineFds + 2, `open fds ${baselineFds} → ${fds}`);
    },
  );

  it(
    'closes stalled PutObject and PostObject bodies at idleTimeoutMs and removes their temp files',
    { timeout: 60_000 },
    async (t) => {
      const stalled = Array.from({ length: 200 }, (_, n) =>
        stallBody(target(), n % 2 === 0 ? 'put' : 'post', `stalled/${n}`, 64 * 1024, 20_000),
      );
      const attack = Promise.all(stalled);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const tempDuring = (await readdir(join(root, 'data', 'tmp'))).length;
      const uploads = await uploadDuring(target(), attack);
      const results = await attack;
      t.diagnostic(
        `stalled bodies: ${summarise(results)}; ${tempDuring} temp files while stalled; ` +
          `${uploads.statuses.length} uploads meanwhile, slowest ${uploads.maxMs} ms`,
      );
      assert.ok(tempDuring > 0, 'the stalled uploads never reached the store: the test proves nothing');
      assert.ok(
        results.every((r) => r.closedByServer),
        'a stalled body outlived the idle timeout',
      );
      assert.ok(Math.max(...results.map((r) => r.openMs)) <= idleTimeoutMs + slackMs);
      assert.ok(
        uploads.statuses.every((s) => s === 200),
        String(uploads.statuses),
      );
      const tmp = await waitUntil(
        () => readdir(join(root, 'data', 'tmp')),
        (names) => names.length === 0,
        5_000,
      );
      assert.deepEqual(tmp, []);
      const fds = await waitUntil(
        () => countOpenFds(server.pid),
        (n) => n <= baselineFds + 2,
        5_000,
      );
      assert.ok(fds <= baselineFds + 2, `open fds ${baselineFds} → ${fds}`);
    },
  );
});
