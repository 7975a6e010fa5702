// The toolkit under `upcall server --strict-post-policy` (threats §C2 item 19): strict mode refuses any
// form field no policy condition names, so this proves app-kit's tickets pin every field the browser
// sends (key, Content-Type, callback, callback vars, success_action_status, signature fields) — V4 and
// V1, with the callback delivered and the record confirmed — and that a field added by the page is
// refused with AccessDenied and nothing is stored.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SqliteUploadRecordStore } from '@upcall/app-kit';
import { buildPng } from './support/build-png.js';
import { buildAppKitApp, type AppKitApp } from './support/app-kit-app.js';
import { startAppKitStorage, type AppKitStorage } from './support/app-kit-storage.js';
import { postTicketForm, readErrorCode } from './support/app-kit-upload.js';

describe('app-kit tickets against storage running with --strict-post-policy', () => {
  let storage: AppKitStorage;
  let store: SqliteUploadRecordStore;
  let app: AppKitApp;
  before(async () => {
    storage = await startAppKitStorage(['--strict-post-policy']);
    store = new SqliteUploadRecordStore({ path: join(storage.rootDir, 'records-strict.db') });
    app = buildAppKitApp({ storage, store, seed: 'app-kit-strict-policy' });
    await app.listen();
  });
  after(async () => {
    await app?.stop();
    await store?.close();
    await storage?.stop();
  });

  for (const sig of ['v4', 'v1'] as const) {
    it(`uploads with a ${sig.toUpperCase()} ticket: every field is pinned, the callback confirms the record`, async () => {
      const user = `strict-${sig}`;
      const ticket = await app.requestTicket(user, { sig, trust: 'pinned', filename: 'photo.png' });
      const bytes = buildPng(4, 3);

      const answer = await postTicketForm(ticket, { name: 'photo.png', type: 'image/png', bytes });

      assert.equal(answer.status, 200, answer.text);
      assert.equal((await store.get(ticket.uploadId))?.status, 'confirmed');
      assert.deepEqual(await storage.readObject(ticket.key ?? ''), bytes);
    });
  }

  it('refuses a ticket form with a field the page added (x-oss-meta-*) and stores nothing', async () => {
    const ticket = await app.requestTicket('strict-extra', { sig: 'v4', trust: 'pinned', filename: 'a.png' });
    const tampered = { ...ticket, fields: { ...ticket.fields, 'x-oss-meta-role': 'admin' } };

    const answer = await postTicketForm(tampered, {
      name: 'a.png',
      type: 'image/png',
      bytes: buildPng(2, 2),
    });

    assert.equal(answer.status, 403, answer.text);
    assert.equal(readErrorCode(answer.text), 'AccessDenied');
    assert.equal(await storage.readObject(ticket.key ?? ''), undefined);
    assert.equal((await store.get(ticket.uploadId))?.status, 'pending');
  });
});
