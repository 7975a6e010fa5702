// Bench child: an application server built from app-kit — createCallbackHandler over a file-backed
// SqliteUploadRecordStore, trusting the Upcall server's key by pinned PEM — that also issues `count`
// tickets per repeat (issueUploadTicket, records pending; 64 at a time, so they share record commits)
// and writes their 4 KiB form bodies for the load generator, one data/lengths file pair per repeat
// (`<dataPath>.<r>`). argv: <json {upcall, count, repeats, dataPath, lengthsPath, dbPath}>.
// Prints `READY {url}`.
import { createServer } from 'node:http';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import {
  createCallbackHandler,
  createCallbackKeyTrust,
  issueUploadTicket,
  SqliteUploadRecordStore,
  toNodeHandler,
} from '@upcall/app-kit';
import type { UpcallInfo } from '../lib/bench-servers.js';
import { buildSmallFormBody, writeBodies } from '../lib/small-form-bodies.js';

interface Options {
  upcall: UpcallInfo;
  count: number;
  repeats: number;
  dataPath: string;
  lengthsPath: string;
  dbPath: string;
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
const store = new SqliteUploadRecordStore({ path: options.dbPath });
const trust = createCallbackKeyTrust({
  pinnedKeys: { [options.upcall.publicKeyUrl]: options.upcall.publicKeyPem },
});
const handler = toNodeHandler(
  createCallbackHandler({
    verifyOptions: { trust },
    store,
    onUploadConfirmed: (record, callback) => ({ ok: true, id: record.id, key: callback.object }),
  }),
);
const server = createServer(handler);
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const address = server.address();
const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/oss-callback`;

const file = randomBytes(4096);
async function buildBody(i: number): Promise<Buffer> {
  const ticket = await issueUploadTicket({
    credentials: {
      accessKeyId: options.upcall.accessKeyId,
      accessKeySecret: options.upcall.accessKeySecret,
    },
    region: 'cn-hangzhou',
    bucket: options.upcall.bucket,
    host: options.upcall.url,
    userId: `user-${i % 64}`,
    filename: 'small.bin',
    maxSizeBytes: 64 * 1024,
    expiresInSeconds: 600,
    callback: { urls: url },
    store,
  });
  return buildSmallFormBody(Object.entries(ticket.fields), file);
}
for (let r = 0; r < options.repeats; r++) {
  const collected: Buffer[] = [];
  for (let start = 0; start < options.count; start += 64) {
    const ids = Array.from(
      { length: Math.min(64, options.count - start) },
      (_, i) => r * options.count + start + i,
    );
    collected.push(...(await Promise.all(ids.map(buildBody))));
  }
  await writeBodies(`${options.dataPath}.${r}`, `${options.lengthsPath}.${r}`, collected);
}
console.log(`READY ${JSON.stringify({ url })}`);
process.once('SIGTERM', () => process.exit(0));
