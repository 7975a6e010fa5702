// A small filesystem for disk-full tests (threats §A6 (4), §C7 item 63): a tmpfs mounted over an empty
// directory. Needs root (or CAP_SYS_ADMIN); where mount is not permitted the caller skips, and the
// fault-injected ENOSPC suite covers the same code path.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type MountResult = { readonly mounted: true } | { readonly mounted: false; readonly reason: string };

export async function mountTmpfs(dir: string, sizeMiB: number): Promise<MountResult> {
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m,mode=0700`, 'tmpfs', dir]);
    return { mounted: true };
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    return { mounted: false, reason: stderr || String(error) };
  }
}

/** Unmounts, retrying briefly while a just-killed process still holds files open (EBUSY). */
export async function unmountTmpfs(dir: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await run('umount', [dir]);
      return;
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
