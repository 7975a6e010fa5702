// Bench child: the minimal Node baselines of the issue, one mode per process (argv[2]):
//   drain       read and discard the body, answer 200;
//   hash-fsync  pipe the raw body to a new file with MD5 + CRC-64 (UploadHasher, main thread) + fsync;
//   static      GET /<name> streams <dir>/<name> with fs.createReadStream (the static-file baseline).
// POST and PUT are treated alike; multipart is not parsed (the body is stored as sent).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createHashingTransform } from '@upcall/protocol';

const [mode, dir] = [process.argv[2], process.argv[3] ?? '/tmp'];
let sequence = 0;

async function storeHashed(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = join(dir, `object-${process.pid}-${sequence++}`);
  const hashing = createHashingTransform();
  const file = createWriteStream(path, { highWaterMark: 1024 * 1024 });
  await pipeline(req, hashing, file);
  const handle = await open(path, 'r+');
  await handle.sync();
  await handle.close();
  res.setHeader('etag', hashing.digest?.etag ?? '');
  res.setHeader('x-oss-hash-crc64ecma', hashing.digest?.crc64 ?? '');
  res.end();
}

async function serveStatic(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = join(dir, (req.url ?? '/').slice(1));
  const info = await stat(path);
  res.writeHead(200, { 'content-length': info.size, 'content-type': 'application/octet-stream' });
  await pipeline(createReadStream(path, { highWaterMark: 256 * 1024 }), res);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === 'GET') return serveStatic(req, res);
  if (mode === 'hash-fsync') return storeHashed(req, res);
  req.resume();
  await once(req, 'end');
  res.end();
}

const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    res.statusCode = 500;
    res.end(String(error));
  });
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const address = server.address();
const port = typeof address === 'object' && address !== null ? address.port : 0;
console.log(`READY ${JSON.stringify({ url: `http://127.0.0.1:${port}` })}`);
process.once('SIGTERM', () => process.exit(0));
