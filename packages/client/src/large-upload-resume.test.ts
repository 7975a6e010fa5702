import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildResumeKey,
  clearResumeState,
  readResumeState,
  writeResumeState,
  type ResumeStorage,
} from './large-upload-resume.js';

function memory(): ResumeStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

const file = new File(['abc'], 'a|b.mp4', { type: 'video/mp4', lastModified: 42 });

describe('large upload resume notes', () => {
  it('keys a note by the file identity and an optional scope', () => {
    assert.equal(buildResumeKey(file), 'upcall.large-upload.v1:|a%7Cb.mp4|3|video%2Fmp4|42');
    assert.notEqual(buildResumeKey(file, 'alice'), buildResumeKey(file, 'bob'));
  });

  it('round-trips a state and forgets it', () => {
    const storage = memory();
    const state = { uploadId: 'u1', size: 3, partSize: 102400, parts: { 1: 'AA' } };
    writeResumeState(storage, 'k', state);
    assert.deepEqual(readResumeState(storage, 'k'), state);
    clearResumeState(storage, 'k');
    assert.equal(readResumeState(storage, 'k'), undefined);
  });

  it('ignores malformed notes and storage that throws', () => {
    const storage = memory();
    storage.items.set('k', '{"uploadId":1}');
    assert.equal(readResumeState(storage, 'k'), undefined);
    storage.items.set('k', 'not json');
    assert.equal(readResumeState(storage, 'k'), undefined);
    const broken: ResumeStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => undefined,
    };
    assert.equal(readResumeState(broken, 'k'), undefined);
    assert.doesNotThrow(() =>
      writeResumeState(broken, 'k', { uploadId: 'u', size: 1, partSize: 1, parts: {} }),
    );
  });
});
