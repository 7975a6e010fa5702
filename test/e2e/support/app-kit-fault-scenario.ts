// The fault scenario of app-kit-faults.test.ts: an app built from app-kit (its store observed by
// logConfirmOutcomes) behind the recording callback relay, and the two outcome checks every store fault
// shares — a fast non-200 from the app that storage turns into 203 (threats §C6.57–58), then the repair
// once the store is back: reconciliation marks the record, a re-delivered genuine callback confirms it,
// and neither happens twice.
import assert from 'node:assert/strict';
import { reconcileUploads, type UploadRecordStore, type UploadTicket } from '@upcall/app-kit';
import { buildAppKitApp, buildAppReply, type AppKitApp } from './app-kit-app.js';
import {
  sendCapturedCallback,
  startCallbackRelay,
  type CallbackRelay,
  type CallbackRelayOptions,
  type CapturedCallback,
} from './app-kit-callback-relay.js';
import { logConfirmOutcomes, type LoggedStore } from './app-kit-confirm-log.js';
import type { StorageEndpoint } from './app-kit-storage.js';
import { md5Etag, postTicketForm, readErrorCode, type UploadAnswer } from './app-kit-upload.js';

export interface Scenario {
  readonly app: AppKitApp;
  readonly relay: CallbackRelay;
  readonly logged: LoggedStore;
  close(): Promise<void>;
}

/** App (listening) behind a recording relay; tickets send callbacks to the relay. */
export async function openScenario(
  storage: StorageEndpoint,
  real: UploadRecordStore,
  seed: string,
  relayHooks: Omit<CallbackRelayOptions, 'upstream'> = {},
): Promise<Scenario> {
  const logged = logConfirmOutcomes(real);
  let relayOrigin = '';
  const app = buildAppKitApp({ storage, store: logged.store, seed, callbackOrigin: () => relayOrigin });
  const relay = await startCallbackRelay({ ...relayHooks, upstream: () => app.origin() });
  relayOrigin = relay.origin;
  await app.listen();
  return {
    app,
    relay,
    logged,
    close: async () => {
      await app.stop();
      await relay.close();
      await real.close();
    },
  };
}

export async function uploadText(
  ticket: UploadTicket,
  text: string,
): Promise<{ answer: UploadAnswer; bytes: Buffer }> {
  const bytes = Buffer.from(text);
  return { answer: await postTicketForm(ticket, { name: 'notes.txt', type: 'text/plain', bytes }), bytes };
}

export function onlyCapture(relay: CallbackRelay): CapturedCallback {
  assert.equal(relay.exchanges.length, 1, 'storage sends exactly one callback per upload');
  return relay.exchanges[0]!.request;
}

/** The app refused fast and storage told the uploader 203 CallbackFailed (threats §C6.57–58). */
export function assertFastRefusalAnd203(relay: CallbackRelay, answer: UploadAnswer): void {
  const exchange = relay.exchanges[0];
  assert.ok(exchange?.answer !== undefined, 'the app answered');
  assert.notEqual(exchange.answer.status, 200);
  assert.ok(exchange.appMs !== undefined && exchange.appMs < 2000, `app answered after ${exchange.appMs} ms`);
  assert.equal(answer.status, 203, answer.text);
  assert.equal(readErrorCode(answer.text), 'CallbackFailed');
  assert.match(answer.text, new RegExp(`Error status : ${exchange.answer.status}`));
}

/** After the store is back: reconcile → stored-unconfirmed, re-deliver → confirmed, both only once. */
export async function assertRepairedOnce(
  storage: StorageEndpoint,
  scenario: Scenario,
  ticket: UploadTicket,
  bytes: Buffer,
): Promise<void> {
  const { app, logged } = scenario;
  const store = logged.store;
  const pending = await store.get(ticket.uploadId);
  assert.deepEqual([pending?.status, pending?.objectKey, pending?.size], ['pending', null, null]);
  assert.deepEqual(await storage.readObject(ticket.key!), bytes);
  const summary = await reconcileUploads({ store, listObjects: storage.listObjects, nowMs: Date.now() });
  assert.equal(summary.markedStoredUnconfirmed, 1);
  assert.equal((await store.get(ticket.uploadId))?.status, 'stored-unconfirmed');
  const callback = onlyCapture(scenario.relay);
  const redelivered = await sendCapturedCallback(callback, app.origin());
  assert.equal(redelivered.status, 200, redelivered.body.toString('utf8'));
  const etag = md5Etag(bytes);
  const upload = { uploadId: ticket.uploadId, key: ticket.key!, size: bytes.length, etag };
  const reply = buildAppReply({ ...upload, mimeType: 'text/plain', hookCall: app.hookCalls.length });
  assert.deepEqual(JSON.parse(redelivered.body.toString('utf8')), reply);
  const again = await sendCapturedCallback(callback, app.origin());
  assert.deepEqual([again.status, again.body.toString('utf8')], [200, redelivered.body.toString('utf8')]);
  const resummary = await reconcileUploads({ store, listObjects: storage.listObjects, nowMs: Date.now() });
  assert.equal(resummary.markedStoredUnconfirmed, 0);
  const records = await store.list();
  assert.equal(records.length, 1);
  assert.deepEqual(
    [records[0]?.status, records[0]?.size, records[0]?.etag, records[0]?.mimeType],
    ['confirmed', bytes.length, etag, 'text/plain'],
  );
  assert.deepEqual(
    logged.outcomes.filter((kind) => kind === 'confirmed'),
    ['confirmed'],
  );
}
