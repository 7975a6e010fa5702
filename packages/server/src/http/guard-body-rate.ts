// Minimum body throughput (threats §B9, §C4 item 36: slow-body / RUDY). The idle timeout is reset by
// every byte, so a body trickling one byte a second would hold a connection, an upload slot and a temp
// file for as long as the client likes. Here a request body must bring at least
// `minBodyBytesPerSec × windowMs / 1000` bytes in every window of `windowMs` (the first window is the
// grace period; mod_reqtimeout's MinRate works alike), else the request is answered 400 RequestTimeout
// and its connection closed. A window in which the server itself was the slow side — bytes waiting
// unread in the request stream, or nobody reading it yet (auth, a busy disk or backend) — does not
// count against the client.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OssError } from '@upcall/protocol';
import { sendError, type ErrorResponseContext } from './send-error.js';

export interface BodyRateLimits {
  /** 0 = no minimum. */
  readonly minBodyBytesPerSec: number;
  readonly windowMs: number;
}

/** mod_reqtimeout's default MinRate (500 bytes/s) over 20 s windows: ≥ 10 000 bytes per 20 s. */
export const defaultMinBodyBytesPerSec = 500;
export const defaultBodyRateWindowMs = 20_000;

function hasBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const declared = req.headers['content-length'];
  return declared !== undefined && declared !== '0';
}

/** True while the server, not the client, holds the body up: unread bytes, or no reader yet. */
function isServerSlow(req: IncomingMessage): boolean {
  return req.readableLength > 0 || req.readableFlowing !== true;
}

/**
 * Watches `req`'s body until it ends or a response has started; calls `onTooSlow` once if a window
 * passes below the minimum. The caller answers and closes (handle-request.ts).
 */
export function guardBodyRate(
  req: IncomingMessage,
  res: ServerResponse,
  limits: BodyRateLimits,
  onTooSlow: () => void,
): void {
  if (limits.minBodyBytesPerSec <= 0 || !hasBody(req) || req.complete) return;
  const socket = req.socket;
  const minWindowBytes = (limits.minBodyBytesPerSec * limits.windowMs) / 1000;
  const tickMs = Math.max(50, Math.min(1_000, limits.windowMs / 4));
  let windowStartMs = Date.now();
  let windowStartBytes = socket.bytesRead;
  let excused = false;
  const tick = setInterval(() => {
    if (req.complete || res.headersSent || socket.destroyed) return stop();
    if (isServerSlow(req)) excused = true;
    const nowMs = Date.now();
    if (nowMs - windowStartMs < limits.windowMs) return;
    if (!excused && socket.bytesRead - windowStartBytes < minWindowBytes) {
      stop();
      onTooSlow();
      return;
    }
    windowStartMs = nowMs;
    windowStartBytes = socket.bytesRead;
    excused = false;
  }, tickMs);
  const stop = (): void => clearInterval(tick);
  req.once('end', stop);
  res.once('close', stop);
}

/**
 * Answers a too-slow body with 400 RequestTimeout and closes the connection. The body is detached from
 * whatever reads it first, so its end can no longer reach a commit; the connection is then destroyed,
 * which fails the operation's stream (its staged write is aborted, its temp file removed).
 */
export function refuseSlowBody(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: ErrorResponseContext,
): OssError {
  req.unpipe();
  req.pause();
  const sent = sendError(req, res, new OssError('RequestTimeout'), ctx);
  // After node:http's own 'finish' handling, which has begun the (lingering) close.
  res.once('finish', () => req.destroy());
  return sent;
}
