// `npm start`'s script as a user runs it: a real `node scripts/start.mjs` process (tsx registered by the
// script itself), ports from the environment, stopped with SIGINT like Ctrl-C. The install check is
// skipped (UPCALL_SKIP_INSTALL=1): a test must never run `npm ci` on the shared tree.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

const root = new URL('../../', import.meta.url).pathname;

interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly appUrl: string;
  readonly keyUrl: string;
  readonly accessKeyId: string;
}

async function startScript(dataDir: string): Promise<Started> {
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: root,
    env: {
      ...process.env,
      DEMO_PORT: '0',
      UPCALL_PORT: '0',
      UPCALL_DATA_DIR: dataDir,
      UPCALL_SKIP_INSTALL: '1',
      UPCALL_LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const deadline = Date.now() + 30_000;
  while (!/Open http:\/\/\S+\n/.test(text)) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`start.mjs did not start:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const read = (pattern: RegExp) =>
    pattern.exec(text)?.[1] ?? assert.fail(`no ${String(pattern)} in:\n${text}`);
  return {
    child,
    output: () => text,
    appUrl: read(/^Open (http:\/\/127\.0\.0\.1:\d+)$/m),
    keyUrl: read(/callback key URL\s+(\S+)/),
    accessKeyId: read(/access key id\s+(\S+)/),
  };
}

async function stop(started: Started): Promise<number | null> {
  const exited = once(started.child, 'exit');
  started.child.kill('SIGINT');
  const [code] = (await exited) as [number | null];
  return code;
}

describe('npm start (scripts/start.mjs)', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'upcall-start-'));
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves the page, stops cleanly on SIGINT, and a second start reuses keys and data', async () => {
    const first = await startScript(dataDir);
    const page = await fetch(first.appUrl);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<h1>Upcall demo<\/h1>/);
    const pem = await (await fetch(first.keyUrl)).text();
    assert.match(pem, /^-----BEGIN PUBLIC KEY-----/);
    assert.equal(await stop(first), 0);
    assert.match(first.output(), /Stopped\.\n$/);
    await assert.rejects(fetch(first.appUrl));
    await assert.rejects(fetch(first.keyUrl));

    const second = await startScript(dataDir);
    try {
      assert.equal(second.accessKeyId, first.accessKeyId);
      assert.equal(await (await fetch(second.keyUrl)).text(), pem);
    } finally {
      assert.equal(await stop(second), 0);
    }
  });
});
