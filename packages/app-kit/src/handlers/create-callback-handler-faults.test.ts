// Store faults at callback time (threats §C6.57, §C6.58): the handler must answer non-200 well inside OSS's
// 5 s budget, write no partial record, and confirm normally once the store answers again.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteUploadRecordStore } from '../records/sqlite-upload-record-store.js';
import { UploadRecordStoreError } from '../records/upload-record-store-error.js';
import { buildSignedCallback, sendCallbackRequest } from '../test-support/build-signed-callback.js';
import {
  harnessKey as key,
  withCallbackHarness as withHarness,
  wrapStore,
} from '../test-support/callback-harness.js';

describe('createCallbackHandler when the record store fails', () => {
  it('replies 503 within the 2 s budget when the store hangs', async () => {
    let hang = false;
    const store = wrapStore(new SqliteUploadRecordStore({ path: ':memory:' }), (real) => ({
      get: (id) => (hang ? new Promise<never>(() => undefined) : real.get(id)),
    }));
    await withHarness(
      async ({ server, issue }) => {
        const ticket = await issue();
        hang = true;
        const started = Date.now();
        const response = await sendCallbackRequest(
          await buildSignedCallback(ticket, { bucket: 'examplebucket' }, key),
          server.port,
        );
        const elapsed = Date.now() - started;
        assert.equal(response.status, 503);
        assert.deepEqual(JSON.parse(response.body.toString('utf8')), { error: 'store-timeout' });
        assert.ok(elapsed >= 1900 && elapsed < 2600, `answered after ${elapsed} ms`);
      },
      { store },
    );
  });

  it('replies 503 quickly when SQLite is locked by another connection, and confirms once it is free', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'upcall-callback-'));
    const path = join(dir, 'records.db');
    const store = new SqliteUploadRecordStore({ path });
    const locker = new Database(path);
    try {
      await withHarness(
        async ({ server, issue }) => {
          const ticket = await issue();
          const signed = await buildSignedCallback(ticket, { bucket: 'examplebucket' }, key);
          locker.exec('BEGIN EXCLUSIVE');
          const started = Date.now();
          const locked = await sendCallbackRequest(signed, server.port);
          assert.equal(locked.status, 503);
          assert.deepEqual(JSON.parse(locked.body.toString('utf8')), { error: 'store-unavailable' });
          assert.ok(Date.now() - started < 2500, `answered after ${Date.now() - started} ms`);
          locker.exec('ROLLBACK');
          const retried = await sendCallbackRequest(signed, server.port);
          assert.equal(retried.status, 200);
          assert.equal((await store.list()).length, 1);
        },
        { store },
      );
    } finally {
      locker.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports store failures as 503 and hook failures as 500, never 200', async () => {
    let fail = false;
    const store = wrapStore(new SqliteUploadRecordStore({ path: ':memory:' }), (real) => ({
      get: (id) => (fail ? Promise.reject(new UploadRecordStoreError('unavailable', 'down')) : real.get(id)),
    }));
    await withHarness(
      async ({ server, issue }) => {
        const ticket = await issue();
        fail = true;
        const response = await sendCallbackRequest(
          await buildSignedCallback(ticket, { bucket: 'examplebucket' }, key),
          server.port,
        );
        assert.equal(response.status, 503);
        assert.deepEqual(JSON.parse(response.body.toString('utf8')), { error: 'store-unavailable' });
      },
      { store },
    );
    await withHarness(
      async ({ server, issue }) => {
        const ticket = await issue();
        const response = await sendCallbackRequest(
          await buildSignedCallback(ticket, { bucket: 'examplebucket' }, key),
          server.port,
        );
        assert.equal(response.status, 500);
      },
      {
        handler: {
          onUploadConfirmed: () => {
            throw new Error('app bug');
          },
        },
      },
    );
  });
});
