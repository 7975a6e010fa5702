// `upcall upload` in process, against a real loopback ticket endpoint and storage (busboy-parsed).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runUploadCli } from './run-upload-cli.js';
import { captureIo } from './test-support/capture-io.js';
import { replayTerminal } from './test-support/replay-terminal.js';
import type { LoopbackStorageOptions } from './test-support/serve-loopback-storage.js';
import {
  replyCallbackFailed,
  replyConfirmed,
  replyError,
  replyStored,
} from './test-support/storage-replies.js';
import { withLoopbackStorage } from './test-support/with-loopback-storage.js';
import { writeRandomFile, type RandomFile } from './test-support/write-random-file.js';

let dir = '';
let photo: RandomFile;
let notes: RandomFile;
/** Larger than the kernel's socket buffers can hold, so an upload stalled by the server stays in flight. */
let large: RandomFile;

/** Answers by file name, so concurrent uploads get a fixed outcome each. */
function answerByFile(replies: Record<string, ReturnType<LoopbackStorageOptions['answer']>>) {
  return (upload: Parameters<LoopbackStorageOptions['answer']>[0]) =>
    replies[upload.file?.filename ?? ''] ?? replyError('InternalError');
}

// eslint-disable-next-line no-control-regex -- terminal escapes are what is being matched
const ansiControls = /\u001b\[[0-9;]*[A-Za-z]|\r/g;

function parseJsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('runUploadCli', () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'upcall-upload-cli-'));
    photo = await writeRandomFile(dir, 'photo.png', 2 * 1024 * 1024 + 3);
    notes = await writeRandomFile(dir, 'notes.txt', 1000);
    large = await writeRandomFile(dir, 'large.bin', 32 * 1024 * 1024);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('uploads every file through the ticket flow, prints key and callback JSON, and exits 0', () =>
    withLoopbackStorage({}, async (storage) => {
      const out = captureIo();
      const code = await runUploadCli([photo.path, notes.path, '--ticket-url', storage.ticketUrl], out.io);
      assert.equal(code, 0);
      assert.deepEqual(
        storage.tickets
          .map((ticket) => ticket.json)
          .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
        [
          { fileName: 'notes.txt', size: 1000, contentType: 'text/plain' },
          { fileName: 'photo.png', size: photo.size, contentType: 'image/png' },
        ],
      );
      const hashes = storage.uploads.map((upload) => upload.file?.sha256).sort();
      assert.deepEqual(hashes, [photo.sha256, notes.sha256].sort());
      const photoKey = storage.uploads.find((u) => u.file?.filename === 'photo.png')?.fields[0]?.[1] ?? '';
      assert.ok(
        out
          .stdout()
          .startsWith(
            `${photo.path}: confirmed (key ${photoKey})\n  {\n    "ok": true,\n    "key": "${photoKey}"\n  }\n`,
          ),
        out.stdout(),
      );
      assert.match(
        out.stdout(),
        new RegExp(`\\n${notes.path}: confirmed \\(key uploads/alice/\\d+-notes\\.txt\\)\\n`),
      );
    }));

  it('sends each --header with the ticket request only, never to storage', () =>
    withLoopbackStorage({}, async (storage) => {
      const out = captureIo();
      const argv = [notes.path, '--ticket-url', storage.ticketUrl, '--header', 'Cookie: user=alice'];
      const code = await runUploadCli([...argv, '--header', 'Authorization:Bearer t0k'], out.io);
      assert.equal(code, 0);
      assert.equal(storage.tickets[0]?.headers.cookie, 'user=alice');
      assert.equal(storage.tickets[0]?.headers.authorization, 'Bearer t0k');
      assert.equal(storage.uploads[0]?.headers.cookie, undefined);
      assert.equal(storage.uploads[0]?.headers.authorization, undefined);
    }));

  it('takes the ticket URL from UPCALL_TICKET_URL and says when there was no callback reply', () =>
    withLoopbackStorage({ answer: () => replyStored() }, async (storage) => {
      const out = captureIo({ env: { UPCALL_TICKET_URL: storage.ticketUrl } });
      assert.equal(await runUploadCli([notes.path], out.io), 0);
      assert.match(out.stdout(), /: confirmed \(key .*\)\n {2}\(no callback reply\)\n$/);
    }));

  it('exits 3 and reports "stored, callback failed" with the request id when storage answers 203', () =>
    withLoopbackStorage({ answer: () => replyCallbackFailed('RID-5C3D') }, async (storage) => {
      const out = captureIo();
      const code = await runUploadCli([notes.path, '--ticket-url', storage.ticketUrl], out.io);
      assert.equal(code, 3);
      assert.match(
        out.stdout(),
        /notes\.txt: stored, callback failed \(key uploads\/alice\/\d+-notes\.txt, request id RID-5C3D, upload id upload-\d+\)\n {2}CallbackFailed: /,
      );
      assert.equal(storage.uploads.length, 1); // a 203 is never retried: the object is stored
    }));

  it('exits 1 with the OSS code, message and request id when storage rejects a file', () =>
    withLoopbackStorage(
      {
        answer: answerByFile({
          'photo.png': replyError('EntityTooLarge', 'RID-413'),
          'notes.txt': replyCallbackFailed(),
        }),
      },
      async (storage) => {
        const out = captureIo();
        const code = await runUploadCli([photo.path, notes.path, '--ticket-url', storage.ticketUrl], out.io);
        assert.equal(code, 1);
        assert.match(
          out.stdout(),
          /photo\.png: rejected EntityTooLarge: Your proposed upload exceeds the maximum allowed size\.? \(HTTP 400, request id RID-413, EC [\d-]+\)\n/,
        );
        assert.match(out.stdout(), /notes\.txt: stored, callback failed/);
        assert.equal(storage.uploads.length, 2);
      },
    ));

  it('retries a 5xx answer, re-sending the whole form, and reports the later success', () =>
    withLoopbackStorage(
      {
        answer: (upload, index) =>
          index === 0 ? replyError('ServiceUnavailable') : replyConfirmed({ n: index }),
      },
      async (storage) => {
        const out = captureIo();
        const code = await runUploadCli([photo.path, '--ticket-url', storage.ticketUrl, '--json'], out.io);
        assert.equal(code, 0);
        assert.equal(storage.uploads.length, 2);
        assert.deepEqual(
          storage.uploads.map((upload) => upload.file?.sha256),
          [photo.sha256, photo.sha256],
        );
        assert.equal(storage.tickets.length, 1); // the unexpired ticket is reused (oss-protocol §13.3)
        const [line] = parseJsonLines(out.stdout());
        assert.equal(line?.status, 'confirmed');
        assert.equal(line?.attempts, 2);
        assert.deepEqual(line?.body, { n: 1 });
      },
    ));

  it('gives up after the first 5xx with --retries 0', () =>
    withLoopbackStorage({ answer: () => replyError('ServiceUnavailable', 'RID-503') }, async (storage) => {
      const out = captureIo();
      const code = await runUploadCli(
        [notes.path, '--ticket-url', storage.ticketUrl, '--retries', '0'],
        out.io,
      );
      assert.equal(code, 1);
      assert.equal(storage.uploads.length, 1);
      assert.match(out.stdout(), /rejected ServiceUnavailable: .*request id RID-503/);
    }));

  it('prints one JSON line per file, in the order given, with every result field', () =>
    withLoopbackStorage(
      {
        answer: answerByFile({
          'photo.png': replyError('EntityTooLarge', 'RID-413'),
          'notes.txt': replyConfirmed({ ok: 1 }, 'RID-1'),
        }),
      },
      async (storage) => {
        const out = captureIo();
        const code = await runUploadCli(
          [photo.path, notes.path, '--ticket-url', storage.ticketUrl, '--json'],
          out.io,
        );
        assert.equal(code, 1);
        const lines = parseJsonLines(out.stdout());
        assert.deepEqual(
          lines.map((line) => [line.file, line.status]),
          [
            [photo.path, 'rejected'],
            [notes.path, 'confirmed'],
          ],
        );
        assert.equal(lines[0]?.code, 'EntityTooLarge');
        assert.equal(lines[0]?.httpStatus, 400);
        assert.equal(lines[0]?.requestId, 'RID-413');
        assert.deepEqual(lines[1]?.body, { ok: 1 });
        assert.equal(lines[1]?.requestId, 'RID-1');
        assert.equal(lines[1]?.etag, '5EB63BBBE01EEED093CB22BB8F5ACDC3');
        assert.match(String(lines[1]?.key), /^uploads\/alice\/\d+-notes\.txt$/);
        assert.match(String(lines[1]?.uploadId), /^upload-\d+$/);
      },
    ));

  it('reports a refused ticket as failed, with the app’s reason, exits 1 and sends nothing to storage', () =>
    withLoopbackStorage(
      { refuseTickets: { status: 401, body: JSON.stringify({ error: 'unauthenticated' }) } },
      async (storage) => {
        const out = captureIo();
        const code = await runUploadCli([notes.path, '--ticket-url', storage.ticketUrl, '--json'], out.io);
        assert.equal(code, 1);
        assert.equal(storage.uploads.length, 0);
        const [line] = parseJsonLines(out.stdout());
        assert.equal(line?.status, 'failed');
        assert.equal(line?.reason, 'ticket');
        assert.deepEqual(line?.error, {
          name: 'TicketError',
          message: 'The ticket endpoint answered 401: unauthenticated',
          httpStatus: 401,
          code: 'unauthenticated',
        });
      },
    ));

  it('logs plain progress lines that end at 100 % for each file when stderr is not a terminal', () =>
    withLoopbackStorage({}, async (storage) => {
      const out = captureIo();
      await runUploadCli([photo.path, notes.path, '--ticket-url', storage.ticketUrl], out.io);
      const lines = out.stderr().trim().split('\n');
      assert.ok(lines.every((line) => !line.includes('\x1b')));
      assert.ok(lines.includes(`${photo.path}: 0% (0 B / 2.00 MiB)`), out.stderr());
      assert.ok(lines.some((line) => line.startsWith(`${photo.path}: 100% (2.00 MiB / 2.00 MiB`)));
      assert.ok(lines.some((line) => line.startsWith(`${notes.path}: 100% (1000 B / 1000 B`)));
    }));

  it('redraws one line per file in place on a terminal: bar, percent, bytes, then the outcome', () =>
    withLoopbackStorage(
      { answer: answerByFile({ 'photo.png': replyConfirmed({}), 'notes.txt': replyCallbackFailed() }) },
      async (storage) => {
        let clockMs = 0;
        const out = captureIo({ tty: true, now: () => (clockMs += 200) }); // every event is redraw-worthy
        await runUploadCli([photo.path, notes.path, '--ticket-url', storage.ticketUrl], out.io);
        const err = out.stderr();
        assert.match(
          err,
          /photo\.png +\[#*-+\] +\d\d?% {2}[\d.]+ [KM]?i?B \/ 2\.00 MiB {2}[\d.]+ [KM]iB\/s\n/,
        );
        const screen = replayTerminal(err).sort();
        assert.equal(screen.length, 2, err); // every redraw landed on the file's own line
        assert.match(screen[0] ?? '', /notes\.txt +\[#{20}\] 100% {2}1000 B {2}stored, callback failed$/);
        assert.match(screen[1] ?? '', /photo\.png +\[#{20}\] 100% {2}2\.00 MiB {2}done$/);
        assert.ok(err.split('\n').every((line) => line.replace(ansiControls, '').length < 100));
      },
    ));

  it('prints no progress with --quiet but still the results', () =>
    withLoopbackStorage({}, async (storage) => {
      const out = captureIo({ tty: true });
      assert.equal(await runUploadCli([notes.path, '--ticket-url', storage.ticketUrl, '--quiet'], out.io), 0);
      assert.equal(out.stderr(), '');
      assert.match(out.stdout(), /confirmed/);
    }));

  it(
    'aborts in-flight uploads when interrupted, closes the connection and exits 130',
    { timeout: 30_000 },
    () =>
      withLoopbackStorage({ stallAfterBytes: 256 * 1024 }, async (storage) => {
        const controller = new AbortController();
        const out = captureIo({ signal: controller.signal });
        const run = runUploadCli([large.path, '--ticket-url', storage.ticketUrl], out.io);
        await storage.stalled;
        controller.abort();
        assert.equal(await run, 130);
        assert.match(out.stdout(), /large\.bin: aborted\n/);
        assert.match(out.stderr(), /interrupted/);
        const { bodyBytes, contentLength } = await storage.drainStalled();
        assert.ok(bodyBytes < contentLength);
      }),
  );

  it('prints usage and exits 0 for --help', async () => {
    const out = captureIo();
    assert.equal(await runUploadCli(['--help'], out.io), 0);
    assert.match(out.stdout(), /^Usage: upcall upload FILE\.\.\. --ticket-url URL/);
  });

  it('exits 2 for usage errors before asking for any ticket', () =>
    withLoopbackStorage({}, async (storage) => {
      const cases: Array<[string[], RegExp]> = [
        [[join(dir, 'missing.bin')], /missing\.bin: no such file/],
        [[dir], /not a regular file/],
        [[notes.path, '--bogus'], /Unknown option '--bogus'/],
        [[notes.path, '--concurrency', '0'], /--concurrency "0": expected a whole number from 1 to 64/],
        [[notes.path, '--retries', 'x'], /--retries "x"/],
        [[notes.path, '--header', 'NoColon'], /--header "NoColon": expected 'Name: value'/],
        [[notes.path, '--header', 'Bad Name: v'], /expected 'Name: value'/],
        [[], /no files given/],
      ];
      for (const [args, message] of cases) {
        const out = captureIo();
        assert.equal(
          await runUploadCli([...args, '--ticket-url', storage.ticketUrl], out.io),
          2,
          args.join(' '),
        );
        assert.match(out.stderr(), message);
        assert.match(out.stderr(), /upcall upload --help/);
      }
      for (const [args, message] of [
        [[notes.path], /missing --ticket-url \(or UPCALL_TICKET_URL\)/],
        [[notes.path, '--ticket-url', '/ticket'], /expected an absolute http\(s\) URL/],
        [[notes.path, '--ticket-url', 'file:///etc/passwd'], /expected an absolute http\(s\) URL/],
      ] as Array<[string[], RegExp]>) {
        const out = captureIo();
        assert.equal(await runUploadCli(args, out.io), 2);
        assert.match(out.stderr(), message);
      }
      assert.equal(storage.tickets.length, 0);
    }));
});
