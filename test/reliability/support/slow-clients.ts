// Hostile slow clients (threats §B9, §C4 items 35–37): headers trickled a byte at a time (slowloris),
// bodies that stop mid-way (a stalled RUDY), and oversized header blocks. Each reports whether the
// server closed the connection, after how long, and what it answered first.
import { frameUpload, openSocket } from './raw-upload.js';
import type { OssTarget } from './oss-requests.js';

export interface SlowClientResult {
  readonly closedByServer: boolean;
  /** From connect to the server's close (or to giving up). */
  readonly openMs: number;
  /** First response line, e.g. `HTTP/1.1 408 Request Timeout`, or '' if none. */
  readonly statusLine: string;
}

/** Waits for the server to close `socket`, up to `maxMs`; then closes it from this side. */
async function watchClose(
  socket: Awaited<ReturnType<typeof openSocket>>,
  startedMs: number,
  maxMs: number,
  onTick?: () => void,
): Promise<SlowClientResult> {
  let response = '';
  socket.on('data', (chunk: Buffer) => (response += chunk.toString('latin1')));
  let closed = socket.destroyed;
  socket.once('close', () => (closed = true));
  while (!closed && Date.now() - startedMs < maxMs) {
    onTick?.();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const closedByServer = closed;
  socket.destroy();
  return { closedByServer, openMs: Date.now() - startedMs, statusLine: response.split('\r\n')[0] ?? '' };
}

/** Slowloris: a request line, then one header byte every `intervalMs`, never the blank line. */
export async function trickleHeaders(
  port: number,
  intervalMs: number,
  maxMs: number,
): Promise<SlowClientResult> {
  const startedMs = Date.now();
  const socket = await openSocket(port);
  socket.write(`GET /slow/object HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Trickle: `);
  let lastMs = Date.now();
  return watchClose(socket, startedMs, maxMs, () => {
    if (Date.now() - lastMs < intervalMs || socket.destroyed) return;
    lastMs = Date.now();
    socket.write('a');
  });
}

/** A valid, signed upload whose body stops after `sentBytes` of a `fileBytes` file and then waits. */
export async function stallBody(
  target: OssTarget,
  kind: 'put' | 'post',
  key: string,
  sentBytes: number,
  maxMs: number,
): Promise<SlowClientResult> {
  const startedMs = Date.now();
  const { head } = frameUpload(target, kind, key, 1024 * 1024);
  const socket = await openSocket(target.port);
  socket.write(head);
  socket.write(Buffer.alloc(sentBytes, 0x73));
  return watchClose(socket, startedMs, maxMs);
}

/** One request whose header block is `lines` lines of `lineBytes` bytes each; resolves with the status line. */
export async function sendHeaderFlood(
  port: number,
  lines: number,
  lineBytes: number,
): Promise<SlowClientResult> {
  const startedMs = Date.now();
  const socket = await openSocket(port);
  const value = 'v'.repeat(Math.max(1, lineBytes - 14));
  const headers = Array.from({ length: lines }, (_, i) => `x-f-${String(i).padStart(5, '0')}: ${value}`);
  const head = `GET /slow/object HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n`;
  socket.write(`${head}${headers.join('\r\n')}\r\n\r\n`);
  return watchClose(socket, startedMs, 5_000);
}
