import { EventEmitter } from 'node:events';
import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '@upcall/server';
import { parseDemoCliArgs, runDemoCli } from './run-demo-cli.js';

function collect(stream: PassThrough): () => string {
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return () => text;
}

describe('demo CLI', () => {
  it('reads ports and data dir from flags before the environment', () => {
    const env = { DEMO_PORT: '3100', UPCALL_PORT: '9100', UPCALL_DATA_DIR: 'env-dir' };
    assert.deepEqual(parseDemoCliArgs([], env, '/work'), {
      appPort: 3100,
      storagePort: 9100,
      dataDir: '/work/env-dir',
    });
    assert.deepEqual(
      parseDemoCliArgs(['--port', '0', '--upcall-port', '9200', '--data-dir', '/d'], env, '/work'),
      {
        appPort: 0,
        storagePort: 9200,
        dataDir: '/d',
      },
    );
    assert.deepEqual(parseDemoCliArgs([], {}, '/work'), {
      appPort: 3000,
      storagePort: 9000,
      dataDir: '/work/.upcall',
    });
    assert.equal(parseDemoCliArgs(['--help'], {}, '/work'), undefined);
  });

  it('rejects bad ports and unknown flags as configuration errors', () => {
    assert.throws(
      () => parseDemoCliArgs([], { DEMO_PORT: '70000' }, '/'),
      (e) => e instanceof ConfigError && /DEMO_PORT/.test(e.problems[0]!),
    );
    assert.throws(() => parseDemoCliArgs(['--port', 'x'], {}, '/'), ConfigError);
    assert.throws(() => parseDemoCliArgs(['--bogus'], {}, '/'), ConfigError);
  });

  it('takes PostgreSQL for the records from DATABASE_URL and DEMO_PG_SCHEMA', () => {
    const env = { DATABASE_URL: 'postgres://app@db:5432/uploads', DEMO_PG_SCHEMA: 'demo' };
    assert.deepEqual(parseDemoCliArgs([], env, '/work'), {
      appPort: 3000,
      storagePort: 9000,
      dataDir: '/work/.upcall',
      databaseUrl: 'postgres://app@db:5432/uploads',
      databaseSchema: 'demo',
    });
  });

  it('runs over external storage named by DEMO_STORAGE_ENDPOINT, and lists every setting it misses', () => {
    const env = {
      DEMO_STORAGE_ENDPOINT: 'http://lb.internal:9000/',
      DEMO_STORAGE_CALLBACK_KEY_URL: 'http://lb.internal:9000/_upcall/callback-key.pem',
      DEMO_STORAGE_CALLBACK_KEY_FILE: 'keys/callback.pub.pem',
      UPCALL_ACCESS_KEY_ID: 'SHAREDKEY',
      UPCALL_ACCESS_KEY_SECRET: 'shared-secret',
    };
    assert.deepEqual(parseDemoCliArgs([], env, '/work')?.externalStorage, {
      connection: {
        endpoint: 'http://lb.internal:9000',
        bucket: 'uploads',
        region: 'cn-hangzhou',
        credentials: { accessKeyId: 'SHAREDKEY', accessKeySecret: 'shared-secret' },
        callbackKeyUrl: 'http://lb.internal:9000/_upcall/callback-key.pem',
      },
      callbackKeyFile: '/work/keys/callback.pub.pem',
    });
    assert.throws(
      () => parseDemoCliArgs([], { DEMO_STORAGE_ENDPOINT: 'ftp://x' }, '/'),
      (e) =>
        e instanceof ConfigError &&
        e.problems.length === 3 &&
        e.problems.some((p) => p.includes('DEMO_STORAGE_CALLBACK_KEY_URL')) &&
        e.problems.some((p) => p.includes('UPCALL_ACCESS_KEY_ID')) &&
        e.problems.some((p) => p.includes('must be an http(s) URL')),
    );
    assert.equal(parseDemoCliArgs([], {}, '/')?.externalStorage, undefined);
  });

  it('prints where to go, then stops both servers on SIGINT with exit code 0', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'upcall-demo-cli-'));
    const [stdout, stderr] = [new PassThrough(), new PassThrough()];
    const [out, err] = [collect(stdout), collect(stderr)];
    const signals = new EventEmitter();
    const env = { DEMO_PORT: '0', UPCALL_PORT: '0', UPCALL_LOG_LEVEL: 'silent' };
    const exit = runDemoCli(['--data-dir', dataDir], { env, cwd: dataDir, stdout, stderr, signals });
    while (!out().includes('Open http://')) await new Promise((resolve) => setTimeout(resolve, 20));
    const appUrl = /Open (http:\/\/127\.0\.0\.1:\d+)/.exec(out())![1]!;
    assert.equal((await fetch(appUrl)).status, 200);
    assert.match(out(), /record store\s+SQLite \S+uploads\.sqlite/);
    signals.emit('SIGINT');
    assert.equal(await exit, 0);
    assert.match(out(), /Stopping…\nStopped\.\n$/);
    assert.equal(err(), '');
    await assert.rejects(fetch(appUrl));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('exits 1 with a hint when a port is taken', async () => {
    const blocker = await mkdtemp(join(tmpdir(), 'upcall-demo-cli-'));
    const [stdout, stderr] = [new PassThrough(), new PassThrough()];
    const err = collect(stderr);
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    const io = {
      env: { UPCALL_LOG_LEVEL: 'silent' },
      cwd: blocker,
      stdout,
      stderr,
      signals: new EventEmitter(),
    };
    assert.equal(
      await runDemoCli(['--port', String(port), '--upcall-port', '0', '--data-dir', blocker], io),
      1,
    );
    assert.match(err(), /already in use.*DEMO_PORT/);
    server.close();
    await rm(blocker, { recursive: true, force: true });
  });
});
