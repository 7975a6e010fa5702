// Test support: a node:http server on 127.0.0.1 (ephemeral port) that records every request it sees —
// used to prove that a verifier did NOT fetch an attacker's key URL (threats §C6.50).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordingServer {
  readonly port: number;
  readonly origin: string;
  /** `METHOD target` of every request received so far. */
  readonly seen: string[];
  close(): Promise<void>;
}

export async function startRecordingServer(
  respond: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end(),
): Promise<RecordingServer> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method ?? ''} ${req.url ?? ''}`);
    respond(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
