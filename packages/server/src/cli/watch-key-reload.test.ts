import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runKeysCli } from './run-keys-cli.js';
import { runServerCli, type CliIo } from './run-server-cli.js';
import type { KeyReloadOutcome } from './watch-key-reload.js';

/** `upcall server` in process: a fake signal source, captured output, and reload outcomes as events. */
function buildIo(cwd: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let printed = '';
  stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const signals = new EventEmitter();
  const reloads = new EventEmitter();
  const io: CliIo = {
    env: { UPCALL_LOG_LEVEL: 'silent' },
    cwd,
    stdout,
    stderr,
    signals,
    onKeyReload: (outcome: KeyReloadOutcome) => reloads.emit('reload', outcome),
  };
  return { io, signals, reloads, printed: () => printed };
}

async function waitFor(read: () => string, pattern: RegExp): Promise<RegExpExecArray> {
  for (let tries = 0; tries < 200; tries += 1) {
    const match = pattern.exec(read());
    if (match !== null) return match;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`never printed ${String(pattern)}:\n${read()}`);
}

describe('upcall server: SIGHUP reloads the callback keys', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'upcall-sighup-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('switches to the rotated key on SIGHUP, keeps serving the old one, and keeps its keys when a reload fails', async () => {
    const { io, signals, reloads, printed } = buildIo(dir);
    const exit = runServerCli(['--port', '0', '--data-dir', 'data', '--callback-key-bits', '1024'], io);
    const endpoint = (await waitFor(printed, /endpoint +(\S+)/))[1]!;
    const oldFingerprint = (await waitFor(printed, /callback key +([0-9a-f]{32})/))[1]!;
    const current = async () => (await fetch(`${endpoint}/_upcall/callback-public-key.pem`)).text();
    const before = await current();

    const rotateIo = { env: {}, cwd: dir, stdout: new PassThrough(), stderr: new PassThrough() };
    const args = ['rotate', '--data-dir', 'data', '--callback-key-bits', '1024', '--grace-period', '1h'];
    assert.equal(await runKeysCli(args, rotateIo), 0);
    assert.equal(await current(), before, 'nothing changes before the signal');

    let outcome = once(reloads, 'reload');
    signals.emit('SIGHUP', 'SIGHUP');
    assert.deepEqual(await outcome, ['reloaded']);
    const after = await current();
    assert.notEqual(after, before);
    const old = await fetch(`${endpoint}/_upcall/callback-public-key-${oldFingerprint}.pem`);
    assert.equal(await old.text(), before);

    const keyFile = join(dir, 'data', 'callback-key.pem');
    const good = await readFile(keyFile, 'utf8');
    await writeFile(keyFile, 'not a key');
    outcome = once(reloads, 'reload');
    signals.emit('SIGHUP', 'SIGHUP');
    assert.deepEqual(await outcome, ['failed']);
    assert.equal(await current(), after, 'a failed reload keeps the keys in use');
    await writeFile(keyFile, good);

    signals.emit('SIGTERM', 'SIGTERM');
    assert.equal(await exit, 0);
  });
});
