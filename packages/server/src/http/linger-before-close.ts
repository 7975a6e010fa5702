// Lingering close (RFC 9112 §9.6) for a response that closes its connection while the client is still
// sending the request body (an early refusal: EntityTooLarge from the declared length, a bad signature,
// a PostObject file over its limit). Closing a socket whose receive buffer holds unread bytes makes the
// kernel answer with a reset instead of a FIN, and a reset can overtake the answer: the client's next
// write fails with EPIPE/ECONNRESET and the error document it had not read yet is lost (measured: 10–90 %
// of refusals against a separate server process, test/reliability/early-refusal.test.ts).
//
// So, instead of node:http's immediate close once the answer is written: shut down the sending side
// (FIN after the answer), keep reading and discarding what the client sends, and close when the request
// body is complete, or the client has been silent for `idleMs`, or after `maxMs` or `maxBytes` — bounds
// that keep a hostile client from holding the connection or the bandwidth (threats §B9: the body of a
// refused request is never drained without limit). Apache and nginx do the same (lingering_close).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface LingerLimits {
  /** Total time the connection may linger after the answer. */
  readonly maxMs: number;
  /** Close once the client has sent nothing for this long. */
  readonly idleMs: number;
  /** Close once this many bytes have been read and discarded (checked every 50 ms, so approximate). */
  readonly maxBytes: number;
}

/** Long enough for any client to have read the answer; short enough not to matter as a slot. */
export const defaultLingerLimits: LingerLimits = {
  maxMs: 5_000,
  idleMs: 1_000,
  maxBytes: 16 * 1024 * 1024,
};

const pollMs = 50;

function closeWhenDone(socket: Socket, req: IncomingMessage, limits: LingerLimits): void {
  const startBytes = socket.bytesRead;
  const startedMs = Date.now();
  let lastBytes = startBytes;
  let lastProgressMs = startedMs;
  const poll = setInterval(() => {
    const nowMs = Date.now();
    const bytes = socket.bytesRead;
    if (bytes !== lastBytes) {
      lastBytes = bytes;
      lastProgressMs = nowMs;
    }
    const done =
      req.complete ||
      bytes - startBytes > limits.maxBytes ||
      nowMs - startedMs >= limits.maxMs ||
      nowMs - lastProgressMs >= limits.idleMs;
    if (done) socket.destroy();
  }, pollMs);
  socket.once('close', () => clearInterval(poll));
}

function lingeringClose(socket: Socket, req: IncomingMessage, limits: LingerLimits): void {
  if (socket.destroyed) return;
  socket.end(); // our FIN follows the answer; the client can read all of it, then sees end-of-stream
  if (req.complete) {
    // Nothing more is coming from the client: the usual close, once the answer is flushed.
    if (socket.writableFinished) socket.destroy();
    else socket.once('finish', () => socket.destroy());
    return;
  }
  // Whatever arrives is discarded: node:http drops the body of a request it dumped; a body that an
  // operation stopped reading (unpiped, paused) is resumed with no reader.
  req.unpipe();
  req.resume();
  closeWhenDone(socket, req, limits);
}

/**
 * Arms a lingering close for `req`'s connection. node:http calls `socket.destroySoon()` once a response
 * with `Connection: close` has been written; this replaces it, for this one socket, with the bounded
 * lingering close above.
 */
export function lingerBeforeClose(
  req: IncomingMessage,
  res: ServerResponse,
  limits: LingerLimits = defaultLingerLimits,
): void {
  // `req.socket` can already be null here (node:http detaches it in some error paths); the response's
  // socket is the connection the answer goes out on. Neither: nothing left to close gracefully.
  const socket = (res.socket ?? req.socket) as Socket | null | undefined;
  if (socket === null || socket === undefined || socket.destroyed) return;
  socket.destroySoon = (): void => lingeringClose(socket, req, limits);
}
