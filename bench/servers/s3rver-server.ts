// Bench child: s3rver (the S3 mock users compare us with) on an ephemeral loopback port, objects in the
// directory given as argv[2], bucket `bench` created at start (configureBuckets). Its POST Object
// (lib/controllers/object.js postObject) ignores `policy` and checks no signature — its authentication
// middleware only looks at an Authorization header or query signature — and stores the file with MD5
// only, no CRC-64 and no fsync (lib/stores/filesystem.js putObject). Prints `READY {url, bucket}`.
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: object) => S3rverInstance;

// s3rver 3.7 is CommonJS without type declarations.
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

const directory = process.argv[2];
if (directory === undefined) throw new Error('usage: s3rver-server.ts <dataDir>');
const bucket = 'bench';

const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  directory,
  silent: true,
  configureBuckets: [{ name: bucket }],
});
const address = await server.run();
console.log(`READY ${JSON.stringify({ url: `http://127.0.0.1:${address.port}`, bucket })}`);
process.once('SIGTERM', () => {
  void server.close().finally(() => process.exit(0));
});
