// Test files of random bytes, written in chunks (a 50 MiB file never sits in this process's memory).
import { createHash, randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { join } from 'node:path';

export interface RandomFile {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

export async function writeRandomFile(dir: string, name: string, size: number): Promise<RandomFile> {
  const path = join(dir, name);
  const hash = createHash('sha256');
  const handle = await open(path, 'w');
  try {
    for (let written = 0; written < size;) {
      const chunk = randomBytes(Math.min(1 << 20, size - written));
      hash.update(chunk);
      await handle.write(chunk);
      written += chunk.length;
    }
  } finally {
    await handle.close();
  }
  return { path, size, sha256: hash.digest('hex') };
}
