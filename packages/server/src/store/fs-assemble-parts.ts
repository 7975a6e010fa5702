// Concatenates part files into one new file for CompleteMultipartUpload, streaming: memory stays at a
// couple of buffers whatever the object size (architecture §3: a 5 GiB object runs in the memory of a
// 5 KiB one). fs.copyFile cannot append, and copy_file_range is not exposed for appending, so this is
// read streams piped into one write stream with large buffers (1 MiB: few syscalls per GiB).
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
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
      await pipeline(createReadStream(path, { highWaterMark: bufferBytes }), sink, { end: false });
    }
    sink.end();
    await awaitEndedSink(sink);
  } catch (error) {
    await destroyAndWaitForClose(sink);
    throw error;
  }
  await syncAndCheckSize(targetPath, expectedBytes, sink.bytesWritten);
}
