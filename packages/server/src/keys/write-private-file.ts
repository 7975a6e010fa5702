// Secrets in the data directory (credentials, callback signing key) are created owner-only (0600) and
// published atomically and exclusively: written to a temporary name, fsynced, then hard-linked to the
// final name (which fails if it exists). A crash never leaves a half-written key behind, and when two
// processes start on one data directory at once, both end up using the same key. Key rotation replaces
// files the same way, renaming over the old file instead of linking.
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export const privateFileMode = 0o600;

/** Writes `content` to a fresh owner-only temporary file beside `path`, fsynced; returns its name. */
async function writeTempBeside(path: string, content: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', privateFileMode);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  return temp;
}

/** fsync of the directory, so a rename survives a crash. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Creates `path` with `content` unless it exists; resolves false when another writer got there first.
 * The directory is fsynced after the link (and the temp name's removal), so a power cut right after a
 * first start cannot lose a generated key that clients were already given (threats item 62 audit).
 */
export async function writePrivateFileOnce(path: string, content: string): Promise<boolean> {
  let written: string | undefined;
  let created = false;
  try {
    written = await writeTempBeside(path, content);
    await link(written, path);
    created = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    if (written !== undefined) await rm(written, { force: true });
  }
  if (created) await syncDirectory(dirname(path));
  return created;
}

/** Replaces `path` (or creates it) atomically with owner-only `content`: readers see old or new, never half. */
export async function replacePrivateFile(path: string, content: string): Promise<void> {
  const temp = await writeTempBeside(path, content);
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
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
