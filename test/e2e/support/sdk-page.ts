// Helpers for the /sdk page test: a large deterministic file written to disk in 1 MiB chunks (never held
// in memory whole), and the MD5 of a stored object read back through the storage server with the app's
// own (permanent) credentials, streamed.
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { presignUrlV1 } from '@upcall/protocol';
import type { StorageConnection } from '@upcall/demo';

const chunkBytes = 1024 * 1024;

/** A seeded xorshift32 block; each chunk stamps its index in front so no two parts are alike. */
function buildBaseBlock(seed: number): Buffer {
  const words = new Uint32Array(chunkBytes / 4);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return Buffer.from(words.buffer);
}

export async function writePatternFile(
  path: string,
  sizeBytes: number,
  seed: number,
): Promise<{ path: string; md5: string }> {
  const block = buildBaseBlock(seed);
  const hash = createHash('md5');
  const handle = await open(path, 'w');
  try {
    for (let offset = 0, index = 0; offset < sizeBytes; offset += chunkBytes, index += 1) {
      block.writeUInt32BE(index, 0);
      const chunk = block.subarray(0, Math.min(chunkBytes, sizeBytes - offset));
      hash.update(chunk);
      await handle.write(chunk);
    }
  } finally {
    await handle.close();
  }
  return { path, md5: hash.digest('hex') };
}

export async function md5OfStoredObject(connection: StorageConnection, key: string): Promise<string> {
  const { url } = presignUrlV1({
    method: 'GET',
    bucket: connection.bucket,
    key,
    accessKeyId: connection.credentials.accessKeyId,
    secret: connection.credentials.accessKeySecret,
    origin: connection.endpoint,
    pathStyle: true,
    expiresUnixSeconds: Math.floor(Date.now() / 1000) + 120,
  });
  const response = await fetch(url);
  if (response.status !== 200 || response.body === null)
    throw new Error(`GET ${key} answered ${response.status}: ${await response.text()}`);
  const hash = createHash('md5');
  const reader = response.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) hash.update(read.value);
  return hash.digest('hex');
}
