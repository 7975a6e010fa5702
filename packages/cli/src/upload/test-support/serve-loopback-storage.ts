// A real HTTP server on 127.0.0.1 that plays both roles around the CLI: the app's ticket endpoint
// (`POST /ticket`, answered by the test) and storage (any other POST, parsed as multipart by busboy as
// the bytes arrive — the file is hashed, never kept, so a 50 MiB upload costs this process nothing).
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import busboy from 'busboy';

export interface ReceivedFile {
  readonly fieldName: string;
  readonly filename: string;
  readonly mimeType: string;
  readonly size: number;
  readonly sha256: string;
}

export interface ReceivedUpload {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** Bytes that actually arrived (to compare with Content-Length). */
  readonly bodyBytes: number;
  /** Every part name in order, `file` included. */
  readonly partNames: readonly string[];
  /** Text fields in order. */
  readonly fields: ReadonlyArray<readonly [string, string]>;
  readonly file: ReceivedFile | undefined;
}

export interface ReceivedTicketRequest {
  readonly headers: IncomingHttpHeaders;
  readonly json: unknown;
}

export interface StorageReply {
  /** Drop the connection without answering (a network failure for the client). */
  readonly destroy?: boolean;
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface LoopbackStorageOptions {
  /** The ticket JSON for one ticket request (the server's origin is passed for `host`). */
  readonly ticket: (request: ReceivedTicketRequest, origin: string) => unknown;
  /** Answer every ticket request with this refusal instead (app-kit's `{ error, message }` shape). */
  readonly refuseTickets?: StorageReply;
  /** Storage's answer to one upload (`index` counts uploads from 0). */
  readonly answer: (upload: ReceivedUpload, index: number) => StorageReply;
  /**
   * Stop reading an upload after this many bytes and never answer it (abort tests). The client can
   * still push several MiB into the kernel's socket buffers, so use files of tens of MiB.
   */
  readonly stallAfterBytes?: number;
}

export interface LoopbackStorage {
  readonly origin: string;
  readonly ticketUrl: string;
  readonly tickets: ReceivedTicketRequest[];
  readonly uploads: ReceivedUpload[];
  /** Resolves when an upload stalls (see `stallAfterBytes`). */
  readonly stalled: Promise<void>;
  /**
   * Reads on from a stalled upload (a paused socket cannot notice its peer leaving) and resolves when
   * the client closed the connection: with the bytes that arrived and the Content-Length it announced.
   */
  drainStalled(): Promise<{ readonly bodyBytes: number; readonly contentLength: number }>;
  close(): Promise<void>;
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', reject);
    req.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null')));
  });
}

/** Parses the multipart body as it streams in; the file part is hashed and counted, not stored. */
function readUpload(req: IncomingMessage): Promise<ReceivedUpload> {
  return new Promise((resolve, reject) => {
    const partNames: string[] = [];
    const fields: Array<[string, string]> = [];
    let file: ReceivedFile | undefined;
    let bodyBytes = 0;
    req.on('data', (chunk: Buffer) => (bodyBytes += chunk.length));
    const parser = busboy({ headers: req.headers, limits: { fieldSize: 2 * 1024 * 1024 } });
    parser.on('field', (name, value) => {
      partNames.push(name);
      fields.push([name, value]);
    });
    parser.on('file', (fieldName, stream, info) => {
      partNames.push(fieldName);
      const hash = createHash('sha256');
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        hash.update(chunk);
      });
      stream.on('end', () => {
        file = {
          fieldName,
          filename: info.filename ?? '',
          mimeType: info.mimeType,
          size,
          sha256: hash.digest('hex'),
        };
      });
    });
    parser.on('error', reject);
    parser.on('close', () =>
      resolve({ url: req.url ?? '', headers: req.headers, bodyBytes, partNames, fields, file }),
    );
    req.pipe(parser);
  });
}

function reply(res: ServerResponse, answer: StorageReply): void {
  if (answer.destroy === true) return void res.socket?.destroy();
  const body = Buffer.from(answer.body ?? '');
  res.writeHead(answer.status, { 'content-length': String(body.length), ...answer.headers });
  res.end(body);
}

function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export async function serveLoopbackStorage(options: LoopbackStorageOptions): Promise<LoopbackStorage> {
  const tickets: ReceivedTicketRequest[] = [];
  const uploads: ReceivedUpload[] = [];
  const stalled = signal();
  let stalledRequest: IncomingMessage | undefined;
  let stalledBytes = 0;
  let origin = '';
  const stall = (req: IncomingMessage, afterBytes: number): void => {
    stalledRequest = req;
    req.on('data', (chunk: Buffer) => {
      stalledBytes += chunk.length;
      if (stalledBytes < afterBytes || stalledRequest !== req) return;
      req.pause();
      stalled.resolve();
    });
  };
  const drainStalled = (): Promise<{ bodyBytes: number; contentLength: number }> =>
    new Promise((resolve, reject) => {
      const req = stalledRequest;
      if (!req) return reject(new Error('no upload stalled'));
      stalledRequest = undefined; // read on freely from here
      const settle = (): void =>
        resolve({ bodyBytes: stalledBytes, contentLength: Number(req.headers['content-length']) });
      if (req.socket.destroyed) settle();
      else req.socket.once('close', settle);
      req.resume();
    });
  const server = createServer((req, res) => {
    const handle = async (): Promise<void> => {
      if (req.url === '/ticket') {
        const request = { headers: req.headers, json: await readJson(req) };
        tickets.push(request);
        if (options.refuseTickets) return reply(res, options.refuseTickets);
        return reply(res, { status: 200, body: JSON.stringify(options.ticket(request, origin)) });
      }
      if (options.stallAfterBytes !== undefined) return stall(req, options.stallAfterBytes);
      const upload = await readUpload(req);
      uploads.push(upload);
      reply(res, options.answer(upload, uploads.length - 1));
    };
    handle().catch((error: unknown) => reply(res, { status: 599, body: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    ticketUrl: `${origin}/ticket`,
    tickets,
    uploads,
    stalled: stalled.promise,
    drainStalled,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
