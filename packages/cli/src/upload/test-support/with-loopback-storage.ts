// Runs `fn` with a loopback storage + ticket endpoint that answers app-kit-shaped tickets and confirms
// every upload (200 relaying `{ ok: true, key }`) unless `overrides` say otherwise; always closed after.
import { buildTestTicket } from './build-test-ticket.js';
import {
  serveLoopbackStorage,
  type LoopbackStorage,
  type LoopbackStorageOptions,
} from './serve-loopback-storage.js';
import { replyConfirmed } from './storage-replies.js';

export async function withLoopbackStorage(
  overrides: Partial<LoopbackStorageOptions>,
  fn: (storage: LoopbackStorage) => Promise<void>,
): Promise<void> {
  const storage = await serveLoopbackStorage({
    ticket: buildTestTicket,
    answer: (upload) => replyConfirmed({ ok: true, key: upload.fields[0]?.[1] }),
    ...overrides,
  });
  try {
    await fn(storage);
  } finally {
    await storage.close();
  }
}
