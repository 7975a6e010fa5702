import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteUploadRecordStore } from '../records/sqlite-upload-record-store.js';
import { isUploadRecordStoreError } from '../records/upload-record-store-error.js';
import { issueUploadTicket } from './issue-upload-ticket.js';
import type { UploadTicketOptions } from './upload-ticket.js';

function options(randomByte: number): UploadTicketOptions {
  return {
    credentials: { accessKeyId: 'AK', accessKeySecret: 'SK' },
    region: 'cn-hangzhou',
    bucket: 'examplebucket',
    host: 'http://127.0.0.1:9000',
    userId: 'alice',
    filename: 'a.txt',
    maxSizeBytes: 100,
    callback: { urls: 'http://127.0.0.1:3000/cb' },
    expiresInSeconds: 120,
    now: () => new Date(1_800_000_000_000),
    randomBytes: (size) => Buffer.alloc(size, randomByte),
  };
}

describe('issueUploadTicket', () => {
  it('records the upload as pending with the ticket expiry before returning the ticket', async () => {
    const store = new SqliteUploadRecordStore({ path: ':memory:' });
    try {
      const ticket = await issueUploadTicket({ ...options(7), store });
      const record = await store.get(ticket.uploadId);
      assert.equal(record?.status, 'pending');
      assert.equal(record?.userId, 'alice');
      assert.equal(record?.key, ticket.key);
      assert.equal(record?.keyIsPrefix, false);
      assert.equal(record?.createdAtMs, 1_800_000_000_000);
      assert.equal(record?.expiresAtMs, 1_800_000_120_000);
    } finally {
      await store.close();
    }
  });

  it('never hands out a ticket whose upload id could not be recorded', async () => {
    const store = new SqliteUploadRecordStore({ path: ':memory:' });
    try {
      await issueUploadTicket({ ...options(7), store });
      await assert.rejects(issueUploadTicket({ ...options(7), store }), isUploadRecordStoreError);
      assert.equal((await store.list()).length, 1);
    } finally {
      await store.close();
    }
  });
});
