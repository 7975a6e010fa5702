import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { generateTestKeyPems } from '../keys/testing/generate-test-key-pems.js';
import { runKeysCli, type KeysCliIo } from './run-keys-cli.js';

function capture(cwd: string, nowMs = Date.UTC(2025, 0, 2)) {
  const out = { stdout: '', stderr: '' };
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (chunk: Buffer) => (out.stdout += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (out.stderr += chunk.toString()));
  const io: KeysCliIo = { env: {}, cwd, stdout, stderr, now: () => nowMs };
  return { io, out };
}

describe('upcall keys', () => {
  it('exits 2 with the reason when there is no key to rotate, and for a missing or unknown command', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'upcall-keys-cli-'));
    try {
      const { io, out } = capture(dir);
      assert.equal(await runKeysCli(['rotate', '--data-dir', 'empty'], io), 2);
      assert.match(out.stderr, /empty\/callback-key\.pem does not exist/);
      assert.equal(await runKeysCli([], io), 2);
      assert.equal(await runKeysCli(['rotate-all'], io), 2);
      assert.match(out.stderr, /unknown command "rotate-all"/);
      assert.equal(await runKeysCli(['--help'], io), 0);
      assert.match(out.stdout, /--grace-period DURATION/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rotates an operator key file and prints the new and retired fingerprints with the end of the grace period', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'upcall-keys-cli-'));
    try {
      await writeFile(join(dir, 'shared.pem'), generateTestKeyPems(1)[0]!, { mode: 0o600 });
      const { io, out } = capture(dir, Date.UTC(2025, 0, 2, 12));
      const args = [
        'rotate',
        '--callback-private-key',
        'shared.pem',
        '--grace-period',
        '30m',
        '--callback-key-bits',
        '1024',
      ];
      assert.equal(await runKeysCli(args, io), 0);
      assert.match(out.stdout, /new key +[0-9a-f]{32}\n/);
      assert.match(out.stdout, /retired key +[0-9a-f]{32} {2}\(served until 2025-01-02T12:30:00\.000Z\)/);
      assert.match(out.stdout, new RegExp(`retired keys file +${dir}/shared\\.retired\\.json`));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 with the file system reason when the key files cannot be read or written, leaving the key file as it was', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'upcall-keys-cli-'));
    try {
      const pem = generateTestKeyPems(1)[0]!;
      await writeFile(join(dir, 'shared.pem'), pem, { mode: 0o600 });
      await mkdir(join(dir, 'shared.retired.json')); // a directory where the retired list must go
      const { io, out } = capture(dir);
      const args = ['rotate', '--callback-private-key', 'shared.pem', '--callback-key-bits', '1024'];
      assert.equal(await runKeysCli(args, io), 1);
      assert.match(out.stderr, /could not rotate the key: EISDIR/);
      assert.equal(await readFile(join(dir, 'shared.pem'), 'utf8'), pem);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
