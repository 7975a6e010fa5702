// Sample records and the test-registration type shared by the UploadRecordStore contract files.
import type { ConfirmInput, NewUploadRecord, UploadRecordStore } from './upload-record-store.js';

/** Registers one contract test that receives a fresh store. */
export type ContractTest = (title: string, fn: (store: UploadRecordStore) => Promise<void>) => void;

export const sampleT0Ms = 1_700_000_000_000;

export function sampleNewRecord(overrides: Partial<NewUploadRecord> = {}): NewUploadRecord {
  return {
    id: 'up-1',
    userId: 'user-1',
    bucket: 'photos',
    key: 'users/user-1/avatar.png',
    keyIsPrefix: false,
    createdAtMs: sampleT0Ms,
    expiresAtMs: sampleT0Ms + 600_000,
    appData: '{"album":"x"}',
    ...overrides,
  };
}

export function sampleConfirm(overrides: Partial<ConfirmInput> = {}): ConfirmInput {
  return {
    id: 'up-1',
    key: 'users/user-1/avatar.png',
    size: 1234,
    etag: 'D41D8CD98F00B204E9800998ECF8427E',
    mimeType: 'image/png',
    confirmedAtMs: sampleT0Ms + 5_000,
    replyJson: '{"ok":true,"n":1}',
    ...overrides,
  };
}
