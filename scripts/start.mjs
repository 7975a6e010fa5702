#!/usr/bin/env node
// `npm start`: the one-command demo. Works right after a fresh clone — when node_modules is missing or
// older than package-lock.json, `npm ci` runs first (this file therefore uses nothing but Node's own
// modules until then). Then tsx is registered and apps/demo/src/main.ts starts the storage server and
// the demo app server in this one process (docs/demo.md). Arguments are passed through:
//   npm start -- --port 3001 --upcall-port 9001 --data-dir ./.upcall
// Environment: DEMO_PORT, UPCALL_PORT, UPCALL_DATA_DIR; UPCALL_SKIP_INSTALL=1 skips the install check.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function readMtimeMs(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Why `npm ci` must run first, or undefined. npm writes node_modules/.package-lock.json last. */
function findInstallReason() {
  const installedMs =
    readMtimeMs(join(root, 'node_modules', '.package-lock.json')) ?? readMtimeMs(join(root, 'node_modules'));
  if (installedMs === undefined) return 'node_modules is missing';
  const lockMs = readMtimeMs(join(root, 'package-lock.json'));
  if (lockMs !== undefined && installedMs < lockMs) return 'node_modules is older than package-lock.json';
  return undefined;
}

function runNpmCi() {
  // Under `npm start`, npm_execpath is npm's own CLI script: run it with this Node, no shell needed.
  const npmCli = process.env.npm_execpath;
  const windows = process.platform === 'win32';
  const [command, args] =
    npmCli !== undefined && npmCli.endsWith('.js')
      ? [process.execPath, [npmCli, 'ci', '--no-audit', '--no-fund']]
      : [windows ? 'npm.cmd' : 'npm', ['ci', '--no-audit', '--no-fund']];
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    shell: windows && command !== process.execPath,
  });
  if (result.status !== 0) {
    console.error(`npm ci failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`}).`);
    process.exit(result.status || 1);
  }
}

if (process.env.UPCALL_SKIP_INSTALL !== '1') {
  const reason = findInstallReason();
  if (reason !== undefined) {
    console.log(`${reason}: running npm ci first…`);
    runNpmCi();
  }
}

const { register } = await import('tsx/esm/api');
register();
await import('../apps/demo/src/main.ts');
