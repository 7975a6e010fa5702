// Large test files for the browser upload tests, written without holding them in memory, and the MD5 of
// what storage holds, streamed back through a presigned GET.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { presignObjectUrl, type StorageConnection } from '@upcall/demo';
import { buildPatternBytes } from './multipart-app.js';

const mebibyte = 1024 * 1024;

/**
 * Writes `bytes` in 8 MiB writes: a 1 MiB pseudo-random block whose first 4 bytes are replaced by the
 * MiB's index, so every MiB differs (a part stored twice, dropped or out of order changes the MD5) at the
 * cost of a copy, not of generating gigabytes of random numbers. Returns the MD5 of exactly the bytes
 * written.
 */
export async function writeLargeFile(path: string, bytes: number): Promise<string> {
  const block = buildPatternBytes(mebibyte, 11);
  const md5 = createHash('md5');
  const file = await open(path, 'wx');
  try {
    for (let offset = 0; offset < bytes; offset += 8 * mebibyte) {
      const chunk = Buffer.allocUnsafe(Math.min(8 * mebibyte, bytes - offset));
      for (let at = 0; at < chunk.length; at += mebibyte) {
        block.copy(chunk, at);
        chunk.writeUInt32BE((offset + at) / mebibyte, at);
      }
      md5.update(chunk);
      await file.write(chunk);
    }
  } finally {
    await file.close();
  }
  return md5.digest('hex');
}

/** MD5 (hex) and size of the stored object, streamed from storage (never whole in memory). */
export async function readObjectMd5(
  connection: StorageConnection,
  key: string,
): Promise<{ md5: string; size: number }> {
  const response = await fetch(presignObjectUrl(connection, key, Date.now()).url);
  assert.equal(response.status, 200);
  const md5 = createHash('md5');
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    md5.update(chunk);
    size += chunk.byteLength;
  }
  return { md5: md5.digest('hex'), size };
}
