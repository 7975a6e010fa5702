// Bench load child: N concurrent V4-signed PostObject forms of one random file each (same bytes, distinct
// keys), streamed with node:http in 256 KiB writes that respect backpressure. argv: <json options>.
// Prints `DONE {seconds, statuses}` on stdout.
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { buildOssV4Fields } from '../lib/oss-form.js';

interface Options {
  url: string;
  bucket: string;
  accessKeyId: string;
  accessKeySecret: string;
  concurrency: number;
  fileBytes: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
const file = randomBytes(options.fileBytes);
const boundary = '----upcallbench7MA4YWxkTrZu0gW';

function preamble(key: string): Buffer {
  const fields = buildOssV4Fields({ ...options, key, maxBytes: options.fileBytes * 2 });
  const parts = fields.map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  parts.push(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  return Buffer.from(parts.join(''));
}

function upload(index: number): Promise<number> {
  const head = preamble(`concurrent/${process.pid}-${index}.bin`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = request(`${options.url}/${options.bucket}`, {
      method: 'POST',
      agent: false,
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + file.length + tail.length),
      },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.write(head);
    let offset = 0;
    const pump = (): void => {
      while (offset < file.length) {
        const slice = file.subarray(offset, offset + 256 * 1024);
        offset += slice.length;
        if (!req.write(slice)) return void req.once('drain', pump);
      }
      req.end(tail);
    };
    pump();
  });
}

const start = process.hrtime.bigint();
const statuses = await Promise.all(
  Array.from({ length: options.concurrency }, (_, i) => upload(i).catch(() => 0)),
);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const counts: Record<string, number> = {};
for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
console.log(`DONE ${JSON.stringify({ seconds, statuses: counts })}`);
