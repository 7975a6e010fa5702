// Several `upcall server` processes behind one key URL (a load-balanced deployment): each is started with
// `--callback-private-key` naming one shared key file, and one verifier accepts the callbacks of all.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devKeyProxyUrl } from '../keys/callback-key-names.js';
import { postCallbackUpload } from '../keys/testing/post-callback-upload.js';
import { startDemoStyleVerifier } from '../keys/testing/start-demo-style-verifier.js';

const repoRoot = new URL('../../../../', import.meta.url).pathname;
const accessKeyId = 'UPCSHAREDKEYTEST00000001';
const accessKeySecret = 'shared-secret-0000000000000000';

interface Child {
  readonly process: ChildProcess;
  readonly banner: Map<string, string>;
  readonly exited: Promise<unknown>;
}

/** Banner rows `  label   value` (label and value separated by two or more spaces). */
function parseBanner(text: string): Map<string, string> {
  const rows = text.split('\n').map((line) => /^ {2}(\S.*?) {2,}(\S.*)$/.exec(line));
  return new Map(rows.filter((row) => row !== null).map((row) => [row[1]!, row[2]!]));
}

/** `npx upcall server …` in its own process group, resolved once its banner is complete. */
async function spawnServer(args: string[]): Promise<Child> {
  const child = spawn('npx', ['upcall', 'server', ...args], {
    cwd: repoRoot,
    env: { ...process.env, UPCALL_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = once(child, 'exit');
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const banner = await new Promise<Map<string, string>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner; stderr: ${stderr}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!/\n {2}cors origins .*\n/.test(stdout)) return;
      clearTimeout(timer);
      resolve(parseBanner(stdout));
    });
    void exited.then(() => reject(new Error(`exited before its banner; stderr: ${stderr}`)));
  });
  return { process: child, banner, exited };
}

describe('three server processes sharing one --callback-private-key file', () => {
  let dir = '';
  const children: Child[] = [];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'upcall-shared-key-'));
  });
  after(async () => {
    for (const child of children) {
      if (child.process.pid !== undefined && child.process.exitCode === null)
        process.kill(-child.process.pid, 'SIGTERM');
    }
    await Promise.all(children.map((child) => child.exited));
    await rm(dir, { recursive: true, force: true });
  });

  it('advertise one key, and one demo-style verifier accepts callbacks from each of them', async () => {
    const keyFile = join(dir, 'shared-callback-key.pem');
    const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    await writeFile(keyFile, pem, { mode: 0o600 });
    const started = await Promise.all(
      [1, 2, 3].map((n) =>
        spawnServer([
          ...['--port', '0', '--data-dir', join(dir, `data-${n}`), '--callback-private-key', keyFile],
          ...['--access-key-id', accessKeyId, '--access-key-secret', accessKeySecret, '--dev-key-proxy'],
        ]),
      ),
    );
    children.push(...started);
    const fingerprints = started.map((child) => child.banner.get('callback key')?.split(' ')[0]);
    assert.match(fingerprints[0] ?? '', /^[0-9a-f]{32}$/);
    assert.deepEqual(new Set(fingerprints).size, 1);
    assert.deepEqual(
      started.map((child) => child.banner.get('callback key URL')),
      [devKeyProxyUrl, devKeyProxyUrl, devKeyProxyUrl],
    );

    const firstEndpoint = started[0]!.banner.get('endpoint') ?? '';
    const verifier = await startDemoStyleVerifier({ http_proxy: firstEndpoint });
    try {
      for (const [index, child] of started.entries()) {
        const res = await postCallbackUpload({
          port: Number(new URL(child.banner.get('endpoint') ?? '').port),
          bucket: 'uploads',
          key: `shared/${index}.txt`,
          accessKeyId,
          accessKeySecret,
          nowMs: Date.now(),
          callbackUrl: `${verifier.url}/notify`,
        });
        assert.equal(res.status, 200, res.text);
      }
      assert.deepEqual(
        verifier.verdicts.map((verdict) => verdict.accepted),
        [true, true, true],
      );
    } finally {
      await verifier.close();
    }
    assert.equal(await readFile(keyFile, 'utf8'), pem, 'servers only read the shared key file');
  });
});
