// Random input files for the upload scenarios, kept in the scratch directory between runs (writing
// 1 GiB costs seconds), with their MD5 so every run can check the ETag it was given.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { scratchDir } from './bench-settings.js';

export interface InputFile {
  readonly path: string;
  readonly bytes: number;
  /** Upper-case hex MD5, as in the OSS ETag. */
  readonly md5Hex: string;
}

export async function ensureInputFile(bytes: number): Promise<InputFile> {
  mkdirSync(scratchDir, { recursive: true });
  const path = join(scratchDir, `input-${bytes}.bin`);
  const md5Path = `${path}.md5`;
  if (existsSync(path) && existsSync(md5Path) && statSync(path).size === bytes)
    return { path, bytes, md5Hex: readFileSync(md5Path, 'utf8').trim() };
  const md5 = createHash('md5');
  const handle = await open(path, 'w');
  const chunkBytes = 4 * 1024 * 1024;
  for (let written = 0; written < bytes; written += chunkBytes) {
    const chunk = randomBytes(Math.min(chunkBytes, bytes - written));
    md5.update(chunk);
    await handle.write(chunk);
  }
  await handle.close();
  const md5Hex = md5.digest('hex').toUpperCase();
  writeFileSync(md5Path, md5Hex);
  return { path, bytes, md5Hex };
}

/** A new, empty directory under the scratch directory (perf-notes §1: fresh directories, no mass deletes). */
export function makeFreshDir(prefix: string): string {
  mkdirSync(scratchDir, { recursive: true });
  return mkdtempSync(join(scratchDir, `${prefix}-`));
}
