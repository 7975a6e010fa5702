// A client that keeps sending a request body after the server has already answered, as browsers, curl
// and the OSS SDKs do with a large upload the server refuses up front (EntityTooLarge, AccessDenied…).
// It uses node:http's client, which reads the response while it is still writing: the question is
// whether the answer reaches it, or a reset (EPIPE/ECONNRESET) arrives first (RFC 9112 §9.6).
import { request, type OutgoingHttpHeaders } from 'node:http';

export interface PastRefusalOutcome {
  /** 0 when no response arrived before the connection failed. */
  readonly status: number;
  /** The `<Code>` of the OSS error document, if a whole one arrived. */
  readonly code: string | undefined;
  /** The connection error seen before any response, e.g. `EPIPE` / `ECONNRESET`. */
  readonly errorCode: string | undefined;
  /** Body bytes handed to the socket before the exchange ended. */
  readonly bytesSent: number;
}

export interface PastRefusalRequest {
  readonly port: number;
  readonly method: string;
  readonly path: string;
  readonly headers: OutgoingHttpHeaders;
  /** The whole body; the declared Content-Length is the caller's. */
  readonly body: Buffer;
  readonly chunkBytes?: number;
  readonly timeoutMs?: number;
  /** false: go on sending after the whole answer has arrived, until the server closes. Default true. */
  readonly stopOnResponse?: boolean;
}

function readCode(body: string): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
}

/** Sends the body as fast as the socket takes it, without stopping when the answer comes. */
export function sendPastRefusal(input: PastRefusalRequest): Promise<PastRefusalOutcome> {
  const chunkBytes = input.chunkBytes ?? 64 * 1024;
  return new Promise((resolve) => {
    let bytesSent = 0;
    let settled = false;
    let answer: Omit<PastRefusalOutcome, 'bytesSent'> | undefined;
    const finish = (outcome: Omit<PastRefusalOutcome, 'bytesSent'>): void => {
      if (settled) return;
      if (answer === undefined && input.stopOnResponse === false && outcome.status !== 0) {
        answer = outcome; // keep sending; resolve with it once the server closes
        return;
      }
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve({ ...(answer ?? outcome), bytesSent });
    };
    const req = request(
      {
        host: '127.0.0.1',
        port: input.port,
        method: input.method,
        path: input.path,
        headers: input.headers,
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (text: string) => (body += text));
        res.on('end', () =>
          finish({ status: res.statusCode ?? 0, code: readCode(body), errorCode: undefined }),
        );
        // A reset after the head arrived but before the whole document did: the answer was lost.
        res.on('error', (error: NodeJS.ErrnoException) =>
          finish({ status: 0, code: undefined, errorCode: error.code ?? error.message }),
        );
      },
    );
    const timer = setTimeout(
      () => finish({ status: 0, code: undefined, errorCode: 'client timeout' }),
      input.timeoutMs ?? 20_000,
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      finish({ status: 0, code: undefined, errorCode: error.code ?? error.message }),
    );
    req.on('close', () => finish({ status: 0, code: undefined, errorCode: 'closed' }));
    const pump = (): void => {
      while (!settled && bytesSent < input.body.length) {
        const piece = input.body.subarray(bytesSent, bytesSent + chunkBytes);
        bytesSent += piece.length;
        if (!req.write(piece)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!settled) req.end();
    };
    pump();
  });
}
