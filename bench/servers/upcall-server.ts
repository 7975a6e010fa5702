// Bench child: the real Upcall server (startServer, FsObjectStore with its durable commit) on an ephemeral
// loopback port, data in the directory given as argv[2]. Prints `READY {url, bucket, keys…}` and exits on
// SIGTERM (exit, so that --cpu-prof writes its profile).
import { startServer, type ServerConfig } from '@upcall/server';

export const benchBucket = 'bench';
export const benchAccessKeyId = 'BENCHACCESSKEYID00000001';
export const benchAccessKeySecret = 'bench-secret-0000000000000000000';

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: upcall-server.ts <dataDir>');

const config: ServerConfig = {
  host: '127.0.0.1',
  port: 0,
  dataDir,
  buckets: [benchBucket],
  // Scenario 2 reads and writes anonymously (no header signer in the bench): BENCH_BUCKET_ACL=public-read-write.
  bucketAcl: (process.env.BENCH_BUCKET_ACL as ServerConfig['bucketAcl']) ?? 'private',
  accessKeyId: benchAccessKeyId,
  accessKeySecret: benchAccessKeySecret,
  callbackTargets: 'dev',
  corsOrigins: ['*'],
  publicEndpoint: '',
  callbackTimeoutMs: 5_000,
  callbackKeyBits: Number(process.env.BENCH_CALLBACK_KEY_BITS ?? 1024),
  maxObjectBytes: 5 * 1024 ** 3,
  shutdownGraceMs: 1_000,
  // One log line per request is the product default (info); the bench keeps warnings only so the
  // figures measure the upload path, not a stdout pipe to the bench runner.
  logLevel: 'warn',
};

const running = await startServer(config);
const { deps } = running;
console.log(
  `READY ${JSON.stringify({
    url: running.url,
    bucket: benchBucket,
    accessKeyId: benchAccessKeyId,
    accessKeySecret: benchAccessKeySecret,
    publicKeyPem: deps.callbackKey.publicKeyPem,
    publicKeyUrl: deps.callbackKey.publicKeyUrl,
  })}`,
);
process.once('SIGTERM', () => {
  void running.close().finally(() => process.exit(0));
});
if (process.env.BENCH_MEM_LOG === '1') {
  setInterval(() => {
    const m = process.memoryUsage();
    const mb = (n: number): string => (n / 1048576).toFixed(0);
    console.error(
      `MEM rss ${mb(m.rss)} heap ${mb(m.heapUsed)}/${mb(m.heapTotal)} external ${mb(m.external)} ab ${mb(m.arrayBuffers)}`,
    );
  }, 300).unref();
}
