// Load and exhaustion on loopback (threats §B9, §C4 items 38 and "keeps serving"; docs/reliability.md
// "Load and exhaustion"): `upcall server` as a child, its RSS and open fds read from /proc/<pid>.
// - 1 000 concurrent 64 KiB uploads (PutObject and PostObject): the server has no concurrency cap, so
//   all must succeed (no 503 path exists to accept); peak RSS stays bounded; every body reads back.
// - 1 000 uploads abandoned mid-body (socket destroyed): fds, RSS and disk return to their baseline.
// - header floods (one 20 KiB header, 3 000 header lines): 431 from Node's 16 KiB limit, keeps serving.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  getObject,
  postObject,
  putObject,
  type OssTarget,
  type RawResponse,
} from './support/oss-requests.js';
import {
  countOpenFds,
  formatMiB,
  mib,
  readDiskUsage,
  readRssBytes,
  sampleRss,
  waitUntil,
} from './support/process-probe.js';
import { abandonUpload } from './support/raw-upload.js';
import { sendHeaderFlood } from './support/slow-clients.js';
import { buildBody, sha256Hex } from './support/seeded-random.js';
import { startUpcallServer, type ServerProcess } from './support/server-process.js';

const credentials = {
  accessKeyId: 'LOADTESTACCESSKEY0000001',
  accessKeySecret: 'load-secret-00000000000000000',
};
const bucket = 'load';
const uploadBytes = 64 * 1024;
const concurrentUploads = Number(process.env.RELIABILITY_CONCURRENT_UPLOADS ?? 1000);
const waveSize = Number(process.env.RELIABILITY_WAVE_SIZE ?? 500);
const abortedUploads = Number(process.env.RELIABILITY_ABORTED_UPLOADS ?? 1000);
/** threats §C4 item 38: peak RSS of the server under the concurrent load (bytes above its idle baseline). */
const maxRssGrowthBytes = 300 * mib;

describe('upcall server under load and abandoned uploads', () => {
  let root: string;
  let dataDir: string;
  let server: ServerProcess;
  const target = (): OssTarget => ({ port: server.port, bucket, ...credentials });

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'upcall-load-'));
    dataDir = join(root, 'data');
    server = await startUpcallServer({ dataDir, bucket, ...credentials });
    for (let i = 0; i < 20; i += 1) await putObject(target(), `warm-up/${i}`, buildBody(-i - 1, uploadBytes));
    // Large bodies hash on a worker thread started on first use (its epoll, eventfd and pipe fds): start
    // it now, so it belongs to the baselines rather than looking like a leak.
    await putObject(target(), 'warm-up/large', buildBody(-100, 4 * mib));
    await postObject(target(), 'warm-up/large-form', buildBody(-101, 4 * mib));
  });
  after(async () => {
    await server?.kill('SIGKILL');
    await rm(root, { recursive: true, force: true });
  });

  it(
    'serves 1 000 concurrent 64 KiB uploads in waves with bounded memory and loses none',
    { timeout: 90_000 },
    async (t) => {
      const baselineRss = await readRssBytes(server.pid);
      const sampler = sampleRss(server.pid, 25);
      const startedMs = Date.now();
      const statuses = new Map<number | string, number>();
      for (let first = 0; first < concurrentUploads; first += waveSize) {
        const wave = Array.from(
          { length: Math.min(waveSize, concurrentUploads - first) },
          (_, i) => first + i,
        );
        const results = await Promise.all(
          wave.map((n): Promise<RawResponse | string> => {
            const body = buildBody(n, uploadBytes);
            const upload =
              n % 2 === 0 ? putObject(target(), `c/${n}`, body) : postObject(target(), `c/${n}`, body);
            return upload.catch((error: unknown) => String(error));
          }),
        );
        for (const result of results) {
          const status = typeof result === 'string' ? result : result.status;
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }
      const elapsedMs = Date.now() - startedMs;
      const { peakBytes, samples } = await sampler.stop();
      t.diagnostic(
        `${concurrentUploads} uploads of 64 KiB in waves of ${waveSize}: ${elapsedMs} ms, answers ` +
          `${JSON.stringify(Object.fromEntries(statuses))}; RSS idle ${formatMiB(baselineRss)}, peak ` +
          `${formatMiB(peakBytes)} (${samples} samples); no concurrency cap (every upload is admitted)`,
      );
      assert.deepEqual(
        Object.fromEntries(statuses),
        { 200: concurrentUploads },
        'no cap exists, so all must succeed',
      );
      assert.ok(
        peakBytes - baselineRss < maxRssGrowthBytes,
        `RSS grew by ${formatMiB(peakBytes - baselineRss)}`,
      );
      for (let n = 0; n < concurrentUploads; n += 1) {
        const got = await getObject(target(), `c/${n}`);
        assert.equal(
          sha256Hex(got.body),
          sha256Hex(buildBody(n, uploadBytes)),
          `c/${n} is not byte-identical`,
        );
      }
      assert.equal((await readDiskUsage(dataDir)).tmpFiles, 0);
    },
  );

  it(
    'returns to its fd, RSS and disk baseline after 1 000 uploads abandoned mid-body',
    { timeout: 90_000 },
    async (t) => {
      const baseline = {
        fds: await countOpenFds(server.pid),
        rss: await readRssBytes(server.pid),
        disk: await readDiskUsage(dataDir),
      };
      const startedMs = Date.now();
      const batch = 100;
      for (let first = 0; first < abortedUploads; first += batch) {
        await Promise.all(
          Array.from({ length: Math.min(batch, abortedUploads - first) }, (_, i) => {
            const n = first + i;
            return abandonUpload(
              target(),
              n % 2 === 0 ? 'put' : 'post',
              `aborted/${n}`,
              mib,
              1024 + ((n * 7919) % (512 * 1024)),
            );
          }),
        );
      }
      const settled = await waitUntil(
        async () => ({ fds: await countOpenFds(server.pid), disk: await readDiskUsage(dataDir) }),
        (now) => now.fds <= baseline.fds + 2 && now.disk.tmpFiles === 0,
        15_000,
      );
      const rss = await readRssBytes(server.pid);
      t.diagnostic(
        `${abortedUploads} aborted uploads in ${Date.now() - startedMs} ms: fds ${baseline.fds} → ${settled.fds}, ` +
          `RSS ${formatMiB(baseline.rss)} → ${formatMiB(rss)}, data bytes ${baseline.disk.dataBytes} → ` +
          `${settled.disk.dataBytes}, temp files ${settled.disk.tmpFiles}`,
      );
      assert.ok(server.isRunning());
      assert.ok(settled.fds <= baseline.fds + 2, `open fds ${baseline.fds} → ${settled.fds}`);
      assert.deepEqual(settled.disk, baseline.disk, 'an aborted upload left bytes on disk');
      assert.ok(rss - baseline.rss < 64 * mib, `RSS grew by ${formatMiB(rss - baseline.rss)}`);
      const after = buildBody(424242, uploadBytes);
      assert.equal((await putObject(target(), 'after-aborts', after)).status, 200);
      assert.deepEqual((await getObject(target(), 'after-aborts')).body, after);
    },
  );

  it('answers header floods with 431 and keeps serving', async (t) => {
    const baselineFds = await countOpenFds(server.pid);
    const floods = await Promise.all(
      Array.from({ length: 200 }, (_, n) =>
        n % 2 === 0 ? sendHeaderFlood(server.port, 1, 20 * 1024) : sendHeaderFlood(server.port, 3_000, 16),
      ),
    );
    const lines = new Set(floods.map((flood) => flood.statusLine));
    t.diagnostic(`200 header floods (20 KiB header / 3 000 lines): ${[...lines].join(', ')}`);
    assert.deepEqual([...lines], ['HTTP/1.1 431 Request Header Fields Too Large']);
    assert.ok(floods.every((flood) => flood.closedByServer));
    const body = buildBody(99, uploadBytes);
    assert.equal((await putObject(target(), 'after-floods', body)).status, 200);
    assert.deepEqual((await getObject(target(), 'after-floods')).body, body);
    const fds = await waitUntil(
      () => countOpenFds(server.pid),
      (n) => n <= baselineFds + 2,
      5_000,
    );
    assert.ok(fds <= baselineFds + 2, `open fds ${baselineFds} → ${fds}`);
  });
});
