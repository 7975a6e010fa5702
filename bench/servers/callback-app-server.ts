// Bench child: an application server built from app-kit — createCallbackHandler over a file-backed
// SqliteUploadRecordStore, trusting the Upcall server's key by pinned PEM — that also issues `count`
// tickets (issueUploadTicket, records pending) and writes their 4 KiB form bodies for the load
// generator. argv: <json {upcall, count, dataPath, lengthsPath, dbPath}>. Prints `READY {url}`.
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
async function* bodies(): AsyncGenerator<Buffer> {
  for (let i = 0; i < options.count; i++) {
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
    yield buildSmallFormBody(Object.entries(ticket.fields), file);
  }
}
const collected: Buffer[] = [];
for await (const body of bodies()) collected.push(body);
await writeBodies(options.dataPath, options.lengthsPath, collected);
console.log(`READY ${JSON.stringify({ url })}`);
process.once('SIGTERM', () => process.exit(0));
