// Secrets in the data directory (credentials, callback signing key) are created owner-only (0600) and
// published atomically and exclusively: written to a temporary name, fsynced, then hard-linked to the
// final name (which fails if it exists). A crash never leaves a half-written key behind, and when two
// processes start on one data directory at once, both end up using the same key.
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export const privateFileMode = 0o600;

/** Creates `path` with `content` unless it exists; resolves false when another writer got there first. */
export async function writePrivateFileOnce(path: string, content: string): Promise<boolean> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, 'wx', privateFileMode);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await link(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

/** The file's text, or undefined when it does not exist (any other failure propagates). */
export async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
