// @upcall/client's uploadLargeFile in Node (fetchPartTransport) against app-kit's multipart handlers and
// Upcall's real storage server: parallel parts, a failing part retried, cancel, pause/resume, resume from
// a noted state (a page reload), and the 203 path. Parts are 100 KiB (OSS's minimum) to stay quick.
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  fetchPartTransport,
  NetworkError,
  readResumeState,
  buildResumeKey,
  uploadLargeFile,
  type PartTransport,
  type ResumeStorage,
  type UploadProgress,
} from '@upcall/client';
import { startAppKitStorage, type AppKitStorage } from './support/app-kit-storage.js';
import { buildPatternBytes, startMultipartApp, type MultipartApp } from './support/multipart-app.js';

const partSize = 100 * 1024;
const noWait = { sleep: () => Promise.resolve(), retry: { random: () => 0.5 } };

function md5(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

function memoryStorage(): ResumeStorage & { readonly items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

/** fetchPartTransport, counting PUTs per part and the most in flight at once; `before` may intervene. */
function observedTransport(before?: (partNumber: number, call: number) => Promise<void> | void) {
  const calls = new Map<number, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  const transport: PartTransport = {
    async put(request) {
      const partNumber = Number(new URL(request.url).searchParams.get('partNumber'));
      const call = (calls.get(partNumber) ?? 0) + 1;
      calls.set(partNumber, call);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await before?.(partNumber, call);
        return await fetchPartTransport.put(request);
      } finally {
        inFlight -= 1;
      }
    },
  };
  return {
    transport,
    calls,
    max: () => maxInFlight,
    total: () => [...calls.values()].reduce((a, b) => a + b, 0),
  };
}

function fileOf(bytes: Buffer, name = 'clip.mp4'): File {
  return new File([Uint8Array.from(bytes)], name, { type: 'video/mp4', lastModified: 1_700_000_000_000 });
}

describe('uploadLargeFile against app-kit and Upcall storage', () => {
  let storage: AppKitStorage;
  let app: MultipartApp;
  before(async () => {
    storage = await startAppKitStorage();
    app = await startMultipartApp(storage);
  });
  after(async () => {
    await app?.stop();
    await storage?.stop();
  });

  it('uploads the parts in parallel and ends confirmed, with progress up to the file size', async () => {
    const bytes = buildPatternBytes(5 * partSize + 1234, 11);
    const observed = observedTransport(() => new Promise((resolve) => setTimeout(resolve, 20)));
    const progress: UploadProgress[] = [];
    const result = await uploadLargeFile(fileOf(bytes), app.endpointsFor('carol'), {
      partSize,
      concurrency: 3,
      transport: observed.transport,
      resumeStorage: memoryStorage(),
      onProgress: (p) => progress.push(p),
    });
    assert.equal(result.status, 'confirmed', JSON.stringify(result));
    assert.equal(observed.total(), 6);
    assert.equal(observed.max(), 3);
    assert.equal(progress.at(-1)?.loaded, bytes.length);
    assert.ok(progress.every((p, i) => i === 0 || p.loaded >= progress[i - 1]!.loaded));
    const record = await app.store.get(result.uploadId!);
    assert.deepEqual([record?.status, record?.size], ['confirmed', bytes.length]);
    assert.equal(md5((await storage.readObject(result.key!))!), md5(bytes));
  });

  it('retries a part whose PUT fails and still assembles the right bytes', async () => {
    const bytes = buildPatternBytes(3 * partSize, 12);
    const observed = observedTransport((partNumber, call) => {
      if (partNumber === 2 && call === 1) throw new NetworkError('connection reset (test)');
    });
    const result = await uploadLargeFile(fileOf(bytes), app.endpointsFor('carol'), {
      partSize,
      transport: observed.transport,
      resumeStorage: null,
      ...noWait,
    });
    assert.equal(result.status, 'confirmed', JSON.stringify(result));
    assert.equal(observed.calls.get(2), 2);
    assert.equal(result.attempts, 4 + 1); // four PUTs and the completion
    assert.equal(md5((await storage.readObject(result.key!))!), md5(bytes));
  });

  it('cancels: the result is aborted, storage drops the upload and the resume note is gone', async () => {
    const bytes = buildPatternBytes(4 * partSize, 13);
    const controller = new AbortController();
    const resume = memoryStorage();
    const observed = observedTransport((partNumber) => {
      if (partNumber === 3) controller.abort();
    });
    const result = await uploadLargeFile(fileOf(bytes), app.endpointsFor('carol'), {
      partSize,
      concurrency: 1,
      transport: observed.transport,
      resumeStorage: resume,
      signal: controller.signal,
    });
    assert.equal(result.status, 'aborted');
    assert.equal(resume.items.size, 0);
    const listed = await app.post('carol', 'list-parts', { uploadId: result.uploadId });
    assert.equal(listed.status, 404);
  });

  it('pauses without sending anything, and resumes to a confirmed upload', async () => {
    const bytes = buildPatternBytes(4 * partSize, 14);
    const held: { upload?: ReturnType<typeof uploadLargeFile> } = {};
    let pausedAt = -1;
    const observed = observedTransport((partNumber, call) => {
      if (partNumber === 2 && call === 1) {
        held.upload?.pause();
        pausedAt = observed.total();
      }
    });
    const upload = uploadLargeFile(fileOf(bytes), app.endpointsFor('carol'), {
      partSize,
      concurrency: 1,
      transport: observed.transport,
      resumeStorage: null,
    });
    held.upload = upload;
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(upload.paused, true);
    assert.equal(observed.total(), pausedAt, 'no PUT while paused');
    upload.resume();
    const result = await upload;
    assert.equal(result.status, 'confirmed', JSON.stringify(result));
    assert.equal(observed.calls.get(2), 2, 'the interrupted part is sent again');
    assert.equal(md5((await storage.readObject(result.key!))!), md5(bytes));
  });

  it('resumes after a reload from the noted state, sending only the parts storage lacks', async () => {
    const bytes = buildPatternBytes(5 * partSize, 15);
    const file = fileOf(bytes, 'reload.mp4');
    const resume = memoryStorage();
    const held: { first?: ReturnType<typeof uploadLargeFile> } = {};
    const firstRun = observedTransport((partNumber) => {
      if (partNumber === 3) held.first?.pause(); // the page goes away while part 3 is in flight
    });
    held.first = uploadLargeFile(file, app.endpointsFor('dave'), {
      partSize,
      concurrency: 1,
      transport: firstRun.transport,
      resumeStorage: resume,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const noted = readResumeState(resume, buildResumeKey(file));
    assert.deepEqual(Object.keys(noted?.parts ?? {}), ['1', '2']);

    const secondRun = observedTransport();
    const result = await uploadLargeFile(file, app.endpointsFor('dave'), {
      partSize: 200 * 1024, // ignored: the noted part size wins
      transport: secondRun.transport,
      resumeStorage: resume,
    });
    assert.equal(result.status, 'confirmed', JSON.stringify(result));
    assert.equal(result.uploadId, noted?.uploadId);
    assert.deepEqual([...secondRun.calls.keys()].sort(), [3, 4, 5]);
    assert.equal(resume.items.size, 0);
    const records = await app.store.list({ userId: 'dave' });
    assert.deepEqual(
      records.map((r) => r.status),
      ['confirmed'],
    );
    assert.equal(md5((await storage.readObject(result.key!))!), md5(bytes));
  });

  it('starts over when the noted upload no longer exists in storage', async () => {
    const bytes = buildPatternBytes(2 * partSize, 16);
    const file = fileOf(bytes, 'stale.mp4');
    const resume = memoryStorage();
    resume.setItem(
      buildResumeKey(file),
      JSON.stringify({ uploadId: 'gone-upload', size: bytes.length, partSize, parts: { 1: 'X' } }),
    );
    const observed = observedTransport();
    const result = await uploadLargeFile(file, app.endpointsFor('dave'), {
      partSize,
      transport: observed.transport,
      resumeStorage: resume,
    });
    assert.equal(result.status, 'confirmed');
    assert.notEqual(result.uploadId, 'gone-upload');
    assert.equal(observed.total(), 2);
  });

  describe('when the callback cannot be delivered', () => {
    let deadApp: MultipartApp;
    before(async () => {
      deadApp = await startMultipartApp(storage, { callbackUrl: 'http://127.0.0.1:9/dead' });
    });
    after(() => deadApp?.stop());

    it('returns stored-unconfirmed (203 CallbackFailed) with the request id', async () => {
      const bytes = buildPatternBytes(2 * partSize, 17);
      const result = await uploadLargeFile(fileOf(bytes), deadApp.endpointsFor('erin'), {
        partSize,
        transport: fetchPartTransport,
        resumeStorage: null,
      });
      assert.equal(result.status, 'stored-unconfirmed', JSON.stringify(result));
      if (result.status !== 'stored-unconfirmed') return;
      assert.equal(result.code, 'CallbackFailed');
      assert.ok(result.requestId !== undefined && result.requestId !== '');
      assert.equal(md5((await storage.readObject(result.key!))!), md5(bytes));
    });
  });
});
