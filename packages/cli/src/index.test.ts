// The `upcall` bin end to end: a child process per start, a throw-away data directory, the printed
// banner as the contract, SIGTERM for a clean exit.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createPublicKey, createPrivateKey } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = new URL('../bin/upcall.js', import.meta.url).pathname;

interface Started {
  readonly child: ChildProcess;
  readonly banner: Map<string, string>;
  readonly exit: Promise<[number | null, NodeJS.Signals | null]>;
}

function run(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, ...env, UPCALL_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Starts `upcall server`, resolving once the banner block has been printed. */
async function startCli(args: string[]): Promise<Started> {
  const child = run(['server', '--port', '0', '--callback-key-bits', '1024', ...args]);
  const exit = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const banner = await new Promise<Map<string, string>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner; stderr: ${stderr}`)), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!/\n {2}cors origins .*\n/.test(stdout)) return;
      clearTimeout(timer);
      const rows = stdout.split('\n').filter((line) => line.startsWith('  '));
      resolve(new Map(rows.map((line) => [line.slice(2, 21).trim(), line.slice(21).trim()])));
    });
    void exit.then(([code]) => reject(new Error(`exited ${code} before banner; stderr: ${stderr}`)));
  });
  return { child, banner, exit };
}

async function stopCli(started: Started): Promise<number | null> {
  started.child.kill('SIGTERM');
  const [code] = await started.exit;
  return code;
}

describe('upcall server (child process)', () => {
  let dataDir = '';
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'upcall-cli-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('generates credentials and the callback key on first start, prints them once, and exits 0 on SIGTERM', async () => {
    const started = await startCli(['--data-dir', dataDir, '--bucket', 'uploads', '--bucket', 'media']);
    const { banner } = started;
    const endpoint = banner.get('endpoint') ?? '';
    assert.match(endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(banner.get('buckets'), 'uploads (private), media (private)');
    assert.equal(banner.get('data dir'), dataDir);
    assert.match(banner.get('callback targets') ?? '', /^dev /);
    const credentials = JSON.parse(await readFile(join(dataDir, 'credentials.json'), 'utf8')) as Record<
      string,
      string
    >;
    assert.equal(banner.get('access key id'), credentials.accessKeyId);
    assert.match(
      banner.get('access key secret') ?? '',
      new RegExp(`^${credentials.accessKeySecret}  \\(generated now`),
    );
    assert.equal((await stat(join(dataDir, 'credentials.json'))).mode & 0o777, 0o600);
    assert.equal((await stat(join(dataDir, 'callback-key.pem'))).mode & 0o777, 0o600);

    const keyUrl = banner.get('callback key URL')?.split(' ')[0] ?? '';
    const fingerprint = banner.get('callback key')?.split(' ')[0] ?? '';
    assert.match(fingerprint, /^[0-9a-f]{32}$/);
    assert.equal(keyUrl, `${endpoint}/_upcall/callback-public-key-${fingerprint}.pem`);
    const served = await (await fetch(keyUrl)).text();
    const stored = createPrivateKey(await readFile(join(dataDir, 'callback-key.pem'), 'utf8'));
    assert.equal(served, createPublicKey(stored).export({ type: 'spki', format: 'pem' }).toString());
    assert.equal(await (await fetch(`${endpoint}/_upcall/callback-public-key.pem`)).text(), served);

    // The printed pair works with the official client: a signed HEAD reaches the store (404, not 403).
    const OSS = createRequire(import.meta.url)('ali-oss') as new (options: object) => {
      head(name: string): Promise<unknown>;
    };
    const client = new OSS({
      endpoint,
      bucket: 'media',
      region: 'oss-cn-hangzhou',
      accessKeyId: credentials.accessKeyId,
      accessKeySecret: credentials.accessKeySecret,
    });
    await assert.rejects(client.head('absent.txt'), (error: { status?: number; code?: string }) => {
      return error.status === 404;
    });
    assert.equal(await stopCli(started), 0);
  });

  it('reuses the stored pair on the next start without printing the secret', async () => {
    const credentials = JSON.parse(await readFile(join(dataDir, 'credentials.json'), 'utf8')) as Record<
      string,
      string
    >;
    const started = await startCli(['--data-dir', dataDir]);
    assert.equal(started.banner.get('access key id'), credentials.accessKeyId);
    const secretLine = started.banner.get('access key secret') ?? '';
    assert.ok(!secretLine.includes(credentials.accessKeySecret ?? '?'));
    assert.match(secretLine, /stored in .*credentials\.json/);
    assert.doesNotMatch(started.banner.get('callback key URL') ?? '', /generated now/);
    assert.equal(await stopCli(started), 0);
  });

  it('exits 2 with a clear message for bad flag values, before touching the data directory', async () => {
    const child = run(['server', '--port', 'eighty', '--data-dir', join(dataDir, 'never')]);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 2);
    assert.match(stderr, /--port="eighty": must be an integer from 0 to 65535/);
    await assert.rejects(stat(join(dataDir, 'never')));
  });

  it('rotates the callback key with `upcall keys rotate`, and the next start signs with the new key', async () => {
    const before = await startCli(['--data-dir', dataDir]);
    const oldFingerprint = before.banner.get('callback key')?.split(' ')[0] ?? '';
    assert.equal(await stopCli(before), 0);
    const rotate = run([
      'keys',
      'rotate',
      '--data-dir',
      dataDir,
      '--grace-period',
      '2h',
      '--callback-key-bits',
      '1024',
    ]);
    let stdout = '';
    rotate.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const [code] = (await once(rotate, 'exit')) as [number | null];
    assert.equal(code, 0);
    assert.match(stdout, new RegExp(`retired key +${oldFingerprint}  \\(served until `));
    const after = await startCli(['--data-dir', dataDir]);
    const newFingerprint = after.banner.get('callback key')?.split(' ')[0] ?? '';
    assert.notEqual(newFingerprint, oldFingerprint);
    assert.match(after.banner.get('retired keys') ?? '', new RegExp(`^${oldFingerprint} until `));
    const endpoint = after.banner.get('endpoint') ?? '';
    const old = await fetch(`${endpoint}/_upcall/callback-public-key-${oldFingerprint}.pem`);
    assert.equal(old.status, 200);
    assert.equal(await stopCli(after), 0);
  });

  it('exits 2 for an unknown command', async () => {
    const [code] = (await once(run(['serve']), 'exit')) as [number | null];
    assert.equal(code, 2);
  });
});
