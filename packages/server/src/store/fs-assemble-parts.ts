// Concatenates part files into one new file for CompleteMultipartUpload, streaming: memory stays at a
// couple of buffers whatever the object size (architecture §3: a 5 GiB object runs in the memory of a
// 5 KiB one). fs.copyFile cannot append, and copy_file_range is not exposed for appending, so this is
// read streams copied into one write stream with large buffers (1 MiB: few syscalls per GiB). Not
// stream.pipeline(…, { end: false }) per part: that leaves its listeners on the shared sink, one set per
// part (MaxListenersExceededWarning from the 11th part on).
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { syncAndCheckSize } from './fs-pending-write.js';
import { awaitEndedSink, destroyAndWaitForClose, keepSinkErrorForCommit } from './sink-closing.js';

const bufferBytes = 1024 * 1024;

/**
 * Writes the files at `partPaths`, in order, to the new file `targetPath` (created with 'wx'), then
 * fsyncs it and checks it holds `expectedBytes` (a part file shorter than its row says is caught here).
 * On failure the target may remain; the caller removes it. A missing part file rejects with its ENOENT
 * error, whose `path` names the part.
 */
export async function assemblePartFiles(
  partPaths: readonly string[],
  targetPath: string,
  expectedBytes: number,
): Promise<void> {
  const sink = createWriteStream(targetPath, { flags: 'wx', mode: 0o600, highWaterMark: bufferBytes });
  keepSinkErrorForCommit(sink);
  try {
    for (const path of partPaths) {
      await appendFileTo(path, sink);
    }
    sink.end();
    await awaitEndedSink(sink);
  } catch (error) {
    await destroyAndWaitForClose(sink);
    throw error;
  }
  await syncAndCheckSize(targetPath, expectedBytes, sink.bytesWritten);
}

/** Copies one file into the open sink, honouring backpressure; rejects on a read or write error. */
async function appendFileTo(path: string, sink: Writable): Promise<void> {
  const source = createReadStream(path, { highWaterMark: bufferBytes });
  try {
    for await (const chunk of source) {
      if (sink.errored) throw sink.errored;
      if (!sink.write(chunk)) await once(sink, 'drain');
    }
  } finally {
    source.destroy();
  }
}
