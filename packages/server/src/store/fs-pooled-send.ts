// Serving a blob from its open descriptor through reused buffers (scenario 2, docs/benchmarks.md).
// fs.createReadStream allocates a fresh 256 KiB buffer for every read, so a 1 GiB GetObject allocated
// 4 096 ArrayBuffers; in the server's process (a larger heap than a bare static-file server, a worker
// thread, SQLite) V8 then reclaimed them with 30–40 full mark-compact collections per GiB instead of
// scavenges, and GetObject spent ~2× the static-file baseline's CPU. Here each buffer goes back to a
// small process-wide pool once the socket has taken its bytes (the write callback: the kernel has copied
// them), so a steady download allocates nothing.
//
// The body stays an ordinary Readable for every other reader (CopyObject, callbacks, the S3 gateway);
// this path is offered beside it (attachPooledSend / readPooledSend) and used by GetObject only.
import { read } from 'node:fs';
import type { Readable, Writable } from 'node:stream';

const sendChunkBytes = 256 * 1024;
/** At most 16 MiB kept for reuse across all downloads; beyond that a buffer is left to the GC. */
const maxPooledBuffers = 64;
const pool: Buffer[] = [];

function takeBuffer(): Buffer {
  return pool.pop() ?? Buffer.allocUnsafeSlow(sendChunkBytes);
}

function giveBack(buffer: Buffer): void {
  if (pool.length < maxPooledBuffers) pool.push(buffer);
}

function readAt(fd: number, buffer: Buffer, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, buffer, 0, length, position, (error, bytesRead) => {
      if (error === null) resolve(bytesRead);
      else reject(error);
    });
  });
}

/** Resolves true on 'drain', false when the destination closed first (the client went away). */
function waitForDrain(destination: Writable): Promise<boolean> {
  if (destination.destroyed) return Promise.resolve(false); // its 'close' may have gone already
  return new Promise((resolve) => {
    const settle = (drained: boolean): void => {
      destination.off('drain', onDrain);
      destination.off('close', onClose);
      resolve(drained);
    };
    const onDrain = (): void => settle(true);
    const onClose = (): void => settle(false);
    destination.once('drain', onDrain);
    destination.once('close', onClose);
  });
}

/**
 * Writes bytes `start..endInclusive` of `fd` to `destination` with back-pressure, then ends it. Resolves
 * false when the destination closed early (nothing more is read); rejects on a read error or when the
 * file is shorter than the range (an index entry that outlived its bytes must not look like success).
 */
export async function sendFdRange(
  fd: number,
  start: number,
  endInclusive: number,
  destination: Writable,
): Promise<boolean> {
  let position = start;
  while (position <= endInclusive) {
    if (destination.destroyed) return false;
    const buffer = takeBuffer();
    const bytesRead = await readAt(
      fd,
      buffer,
      Math.min(buffer.length, endInclusive + 1 - position),
      position,
    );
    if (bytesRead === 0) throw new Error(`blob ended at byte ${position} of ${endInclusive + 1}`);
    if (destination.destroyed) {
      giveBack(buffer); // never handed to the destination
      return false;
    }
    position += bytesRead;
    const more = destination.write(buffer.subarray(0, bytesRead), (error) => {
      if (error === null || error === undefined) giveBack(buffer);
    });
    if (!more && !(await waitForDrain(destination))) return false;
  }
  destination.end();
  return true;
}

const pooledSend = Symbol('upcall.pooledSend');

type PooledSend = (destination: Writable) => Promise<boolean>;

/**
 * Offers the pooled path beside `body`, a not-yet-started stream over `fd` (autoClose). Whoever uses it
 * instead of reading `body` must destroy `body` afterwards, which closes the descriptor.
 */
export function attachPooledSend(body: Readable, fd: number, range: { start: number; end: number }): void {
  const send: PooledSend = (destination) => sendFdRange(fd, range.start, range.end, destination);
  Object.defineProperty(body, pooledSend, { value: send });
}

/** The pooled path for `body` if its store offers one, else undefined (read `body` as a stream). */
export function readPooledSend(body: Readable): PooledSend | undefined {
  return (body as Readable & { [pooledSend]?: PooledSend })[pooledSend];
}
