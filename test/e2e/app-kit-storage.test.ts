// The whole loop with app-kit as the application and Upcall's real storage server (oss-protocol §3, §9):
// the app issues a ticket (V4 and V1), the form is posted to storage as a browser posts it, storage
// stores the object and sends the signed callback, the app verifies it with Upcall's key (allow-listed
// key URL, fetched; or pinned PEM), confirms the record and storage relays the app's JSON with 200.
// When the callback cannot be delivered, the uploader gets 203 CallbackFailed with the object stored
// (§9.6), reconciliation records it as stored-unconfirmed, and a late genuine callback confirms it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SqliteUploadRecordStore, reconcileUploads } from '@upcall/app-kit';
import { buildPng } from './support/build-png.js';
import { buildAppKitApp, buildAppReply, keyTrustModes, type AppKitApp } from './support/app-kit-app.js';
import { sendCapturedCallback, startCallbackRelay } from './support/app-kit-callback-relay.js';
import { startAppKitStorage, type AppKitStorage } from './support/app-kit-storage.js';
import { md5Etag, postTicketForm, readErrorCode } from './support/app-kit-upload.js';

describe('app-kit with Upcall storage: ticket, browser form, signed callback, upload record', () => {
  let storage: AppKitStorage;
  before(async () => {
    storage = await startAppKitStorage();
  });
  after(() => storage?.stop());

  describe('when the app is up', () => {
    let store: SqliteUploadRecordStore;
    let app: AppKitApp;
    before(async () => {
      store = new SqliteUploadRecordStore({ path: join(storage.rootDir, 'records-up.db') });
      app = buildAppKitApp({ storage, store, seed: 'app-kit-storage-up' });
      await app.listen();
    });
    after(async () => {
      await app?.stop();
      await store?.close();
    });

    for (const signatureVersion of ['v4', 'v1'] as const) {
      for (const trust of keyTrustModes) {
        const how = trust === 'fetched' ? 'its allow-listed key URL (fetched)' : 'its pinned PEM';
        it(`relays onUploadConfirmed's JSON with 200 and confirms the record for a ${signatureVersion.toUpperCase()} ticket, trusting Upcall's key by ${how}`, async () => {
          const user = `u-${signatureVersion}-${trust}`;
          const fetchesBefore = app.keyFetches.length;
          const ticket = await app.requestTicket(user, {
            sig: signatureVersion,
            trust,
            filename: 'photo.png',
          });
          assert.equal(ticket.signatureVersion, signatureVersion);
          assert.ok(ticket.key !== undefined && ticket.key.startsWith(`uploads/${user}/`), ticket.key);
          const bytes = buildPng(3, 2);

          const answer = await postTicketForm(ticket, { name: 'photo.png', type: 'image/png', bytes });

          assert.equal(answer.status, 200, answer.text);
          assert.equal(answer.contentType, 'application/json');
          const upload = { uploadId: ticket.uploadId, key: ticket.key, size: bytes.length };
          const expected = { ...upload, etag: md5Etag(bytes), mimeType: 'image/png' };
          assert.deepEqual(
            JSON.parse(answer.text),
            buildAppReply({ ...expected, hookCall: app.hookCalls.length }),
          );
          const record = await store.get(ticket.uploadId);
          assert.equal(record?.status, 'confirmed');
          assert.equal(record.objectKey, ticket.key);
          assert.equal(record.size, bytes.length);
          assert.equal(record.etag, md5Etag(bytes));
          assert.equal(record.mimeType, 'image/png');
          assert.equal(record.replyJson, answer.text);
          assert.deepEqual(await storage.readObject(ticket.key), bytes);
          if (trust === 'fetched') {
            // The PEM came from the exact URL storage advertises, fetched once for the app and then cached.
            assert.deepEqual(app.keyFetches, [{ mode: 'fetched', url: storage.connection.callbackKeyUrl }]);
          } else {
            assert.deepEqual(app.keyFetches.slice(fetchesBefore), []);
          }
          assert.deepEqual(app.errors, []);
        });
      }
    }
  });

  describe('when the callback handler is down', () => {
    it('answers the uploader 203 CallbackFailed with the object stored; reconciliation marks it stored-unconfirmed and a late genuine callback confirms it', async () => {
      const store = new SqliteUploadRecordStore({ path: join(storage.rootDir, 'records-down.db') });
      const app = buildAppKitApp({
        storage,
        store,
        seed: 'app-kit-storage-down',
        callbackOrigin: () => relay.origin,
      });
      const relay = await startCallbackRelay({ upstream: () => app.origin() });
      try {
        await app.listen();
        const ticket = await app.requestTicket('bob', { sig: 'v4', trust: 'pinned', filename: 'notes.txt' });
        const key = ticket.key ?? assert.fail('exact-key ticket expected');
        await app.stop(); // the app server is gone before the upload; its database is not
        const bytes = Buffer.from('stored while the app server was down\n');

        const answer = await postTicketForm(ticket, { name: 'notes.txt', type: 'text/plain', bytes });

        assert.equal(answer.status, 203, answer.text);
        assert.equal(readErrorCode(answer.text), 'CallbackFailed');
        assert.match(answer.text, /can not connect to your callbackUrl/);
        assert.ok(answer.elapsedMs < 4000, `203 after ${answer.elapsedMs} ms`);
        assert.equal(relay.exchanges.length, 1);
        assert.equal(relay.exchanges[0]?.answer, undefined);
        assert.deepEqual(await storage.readObject(key), bytes);
        assert.equal((await store.get(ticket.uploadId))?.status, 'pending');

        const summary = await reconcileUploads({
          store,
          listObjects: storage.listObjects,
          nowMs: Date.now(),
        });

        assert.deepEqual(summary, { checked: 1, markedStoredUnconfirmed: 1, expired: 0, ambiguous: 0 });
        const found = await store.get(ticket.uploadId);
        assert.equal(found?.status, 'stored-unconfirmed');
        assert.deepEqual(
          [found.objectKey, found.size, found.etag, found.confirmedAtMs],
          [key, bytes.length, md5Etag(bytes), null],
        );

        await app.listen();
        const late = await sendCapturedCallback(relay.exchanges[0]!.request, app.origin());

        assert.equal(late.status, 200, late.body.toString('utf8'));
        const etag = md5Etag(bytes);
        const reply = { uploadId: ticket.uploadId, key, size: bytes.length, etag, mimeType: 'text/plain' };
        assert.deepEqual(JSON.parse(late.body.toString('utf8')), buildAppReply({ ...reply, hookCall: 1 }));
        const confirmed = await store.get(ticket.uploadId);
        assert.equal(confirmed?.status, 'confirmed');
        assert.deepEqual(
          [confirmed.objectKey, confirmed.size, confirmed.etag, confirmed.mimeType],
          [key, bytes.length, etag, 'text/plain'],
        );
        const again = await reconcileUploads({ store, listObjects: storage.listObjects, nowMs: Date.now() });
        assert.equal(again.markedStoredUnconfirmed, 0);
        assert.equal((await store.get(ticket.uploadId))?.status, 'confirmed');
      } finally {
        await app.stop();
        await relay.close();
        await store.close();
      }
    });
  });
});
