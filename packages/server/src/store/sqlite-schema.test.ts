// Data directories made before bucket CORS and multipart existed (index schema version 0) open and
// migrate in place, keeping their objects; a directory from a newer server is refused, not damaged.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { FsObjectStore } from './fs-object-store.js';
import { schemaVersion } from './sqlite-schema.js';
import { checksumsOf, newMeta, readBody } from './contract/contract-fixtures.js';
import { chosen, complete, uploadPart } from './contract/multipart-fixtures.js';

// The index exactly as the first FsObjectStore created it (no user_version, no cors_json, no multipart).
const versionZeroSchema = `
CREATE TABLE buckets (name TEXT PRIMARY KEY, acl TEXT NOT NULL, created_ms INTEGER NOT NULL) STRICT;
CREATE TABLE objects (
  bucket TEXT NOT NULL REFERENCES buckets(name), key TEXT NOT NULL, blob_id TEXT NOT NULL UNIQUE,
  size INTEGER NOT NULL, etag TEXT NOT NULL, content_md5 TEXT NOT NULL, crc64 TEXT NOT NULL,
  content_type TEXT NOT NULL, headers_json TEXT NOT NULL, user_meta_json TEXT NOT NULL, acl TEXT NOT NULL,
  storage_class TEXT NOT NULL, last_modified_ms INTEGER NOT NULL, PRIMARY KEY (bucket, key)
) STRICT;
CREATE TABLE store_info (name TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
`;

const blobId = 'ab' + '0'.repeat(30);
const body = Buffer.from('stored before the upgrade');

async function withOldDataDir(test: (dataDir: string) => Promise<void>, userVersion = 0): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'upcall-schema-'));
  const dataDir = join(root, 'data');
  try {
    await mkdir(join(dataDir, 'blobs', 'ab'), { recursive: true });
    await writeFile(join(dataDir, 'blobs', 'ab', blobId), body);
    const db = new Database(join(dataDir, 'index.sqlite'));
    db.exec(versionZeroSchema);
    db.prepare('INSERT INTO buckets VALUES (?, ?, ?)').run('old', 'public-read', 1_600_000_000_000);
    const { size, etag, contentMd5, crc64 } = checksumsOf(body);
    db.prepare('INSERT INTO objects VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
      ...['old', 'kept.txt', blobId, size, etag, contentMd5, crc64, 'text/plain', '{}', '{}', 'default'],
      ...['Standard', 1_600_000_000_000],
    );
    db.pragma(`user_version = ${userVersion}`);
    db.close();
    await test(dataDir);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

describe('FsObjectStore index schema', () => {
  it('migrates a version-0 data directory in place, keeping its buckets and objects', async () => {
    await withOldDataDir(async (dataDir) => {
      const store = await FsObjectStore.open({ dataDir });
      try {
        assert.deepEqual(store.sweepReport.lostObjects, []);
        assert.deepEqual(await store.getBucket('old'), {
          name: 'old',
          acl: 'public-read',
          createdMs: 1_600_000_000_000,
        });
        const read = await store.read('old', 'kept.txt');
        assert.deepEqual(await readBody(read!.body), body);
        assert.equal(await store.getBucketCors('old'), undefined);
        const cors = { rules: [], responseVary: false };
        await store.setBucketCors('old', cors);
        assert.deepEqual(await store.getBucketCors('old'), cors);
        const upload = await store.multipart.initiate(newMeta('new.bin', { bucket: 'old' }));
        const part = await uploadPart(store, upload, 1, Buffer.from('after'));
        await complete(store, upload, chosen(part));
        assert.equal((await store.head('old', 'new.bin'))?.size, 5);
      } finally {
        await store.close();
      }
      const db = new Database(join(dataDir, 'index.sqlite'), { readonly: true });
      try {
        assert.equal(db.pragma('user_version', { simple: true }), schemaVersion);
      } finally {
        db.close();
      }
    });
  });

  it('opens a migrated directory again without migrating twice', async () => {
    await withOldDataDir(async (dataDir) => {
      await (await FsObjectStore.open({ dataDir })).close();
      const store = await FsObjectStore.open({ dataDir });
      try {
        assert.ok(await store.head('old', 'kept.txt'));
      } finally {
        await store.close();
      }
    });
  });

  it('refuses a data directory written by a newer schema and leaves its data alone', async () => {
    await withOldDataDir(async (dataDir) => {
      await assert.rejects(FsObjectStore.open({ dataDir }), /schema version 99, newer than/);
      const db = new Database(join(dataDir, 'index.sqlite'), { readonly: true });
      try {
        assert.equal(db.pragma('user_version', { simple: true }), 99);
        assert.deepEqual(db.prepare('SELECT COUNT(*) AS n FROM objects').get(), { n: 1 });
      } finally {
        db.close();
      }
    }, 99);
  });
});
