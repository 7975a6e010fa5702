// Test support: a TCP proxy on 127.0.0.1 that can forward, refuse (port closed) or black-hole traffic,
// to stage the "database unavailable / network partition" faults of threats §C6.58 against a real server.
import net from 'node:net';

export type FaultMode = 'forward' | 'refuse' | 'blackhole';

export interface FaultProxy {
  readonly port: number;
  /**
   * 'blackhole' keeps open connections but forwards nothing (they hang); the other modes drop every open
   * connection first, so no half-forwarded protocol stream survives.
   */
  setMode(mode: FaultMode): Promise<void>;
  close(): Promise<void>;
}

export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  let mode: FaultMode = 'forward';
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = net.createServer((client) => {
    track(client);
    if (mode === 'blackhole') return; // accept, then never answer
    const upstream = net.connect(target.port, target.host);
    track(upstream);
    // No pipe(): in 'blackhole' mode open connections must go silent without closing (a partition).
    client.on('data', (chunk: Buffer) => void (mode === 'forward' && upstream.write(chunk)));
    upstream.on('data', (chunk: Buffer) => void (mode === 'forward' && client.write(chunk)));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  const listen = (port: number): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stopListening = (): Promise<void> =>
    new Promise((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  await listen(0);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no TCP address');
  return {
    port: address.port,
    async setMode(next) {
      if (next !== 'blackhole') for (const socket of sockets) socket.destroy();
      mode = next;
      if (next === 'refuse') await stopListening();
      else if (!server.listening) await listen(address.port);
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await stopListening();
    },
  };
}
