// Test support: an HTTP-aware reverse proxy on 127.0.0.1 in front of an S3-compatible backend (Ceph RGW),
// for the backend faults of threats §C7 item 65 that a byte-level proxy cannot stage: it reads each
// request as an S3 operation (s3-fault-rules.ts) and, per armed rule, answers `503 SlowDown` itself,
// swallows a PutObject with a fake 200, resets both connections part-way through a request body, or
// holds a request before forwarding it. Everything else is forwarded unchanged — the Host header too,
// since the SDK's SigV4 signature covers it and the backend checks it as received.
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import {
  describeS3Request,
  readBody,
  sendDropped,
  sendSlowDown,
  takeFault,
  type ArmedRule,
  type S3FaultAction,
  type S3FaultRule,
  type S3RequestInfo,
} from './s3-fault-rules.js';

export interface S3ProxyLogEntry extends S3RequestInfo {
  readonly fault: S3FaultAction['kind'] | 'none';
}

export interface S3FaultProxy {
  readonly port: number;
  /** Every request seen, in arrival order, with the fault it got. */
  readonly log: readonly S3ProxyLogEntry[];
  /** Arms a rule (checked in arming order); `hits()` tells how many requests it faulted so far. */
  addRule(rule: S3FaultRule): { hits(): number };
  /** Disarms every rule: from now on everything is forwarded. */
  clearRules(): void;
  close(): Promise<void>;
}

interface Upstream {
  readonly host: string;
  readonly port: number;
  readonly agent: Agent;
}

/** Streams `req` to the backend and the answer back; a `resetAfter` cut kills both sides with an RST. */
function forward(upstream: Upstream, req: IncomingMessage, res: ServerResponse, resetAfter?: number): void {
  const out = request(
    {
      host: upstream.host,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
      agent: upstream.agent,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  const cut = (): void => {
    out.destroy();
    req.socket.resetAndDestroy();
  };
  out.on('error', () => req.socket.destroy());
  res.on('close', () => {
    if (!res.writableFinished) out.destroy(); // the caller left: so does its request
  });
  let sent = 0;
  req.on('data', (chunk: Buffer) => {
    if (resetAfter !== undefined && sent + chunk.length >= resetAfter) {
      out.write(chunk.subarray(0, resetAfter - sent), cut);
      req.pause();
      return;
    }
    sent += chunk.length;
    if (!out.write(chunk)) {
      req.pause();
      out.once('drain', () => req.resume());
    }
  });
  req.on('end', () => out.end());
}

function startTimer(ms: number, timers: Set<NodeJS.Timeout>, run: () => void): void {
  const timer = setTimeout(() => {
    timers.delete(timer);
    run();
  }, ms);
  timers.add(timer);
}

export async function startS3FaultProxy(backendUrl: string): Promise<S3FaultProxy> {
  const backend = new URL(backendUrl);
  const upstream: Upstream = {
    host: backend.hostname,
    port: Number(backend.port || 80),
    agent: new Agent({ keepAlive: true }),
  };
  const rules: ArmedRule[] = [];
  const log: S3ProxyLogEntry[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const info = describeS3Request(req);
    const fault = takeFault(rules, info);
    log.push({ ...info, fault: fault?.kind ?? 'none' });
    if (fault === undefined) return forward(upstream, req, res);
    switch (fault.kind) {
      case 'slow-down':
        void readBody(req).then(
          () => sendSlowDown(req, res),
          () => req.socket.destroy(),
        );
        return;
      case 'drop':
        void readBody(req).then(
          (body) => sendDropped(res, body, info.operation),
          () => req.socket.destroy(),
        );
        return;
      case 'reset-after':
        return forward(upstream, req, res, fault.bodyBytes);
      case 'delay':
        // A caller that gave up meanwhile took its request with it: nothing reaches the backend.
        startTimer(fault.ms, timers, () => (req.socket.destroyed ? undefined : forward(upstream, req, res)));
        return;
    }
  };

  const server = createServer(handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    log,
    addRule(rule) {
      const armed: ArmedRule = { rule, hits: 0 };
      rules.push(armed);
      return { hits: () => armed.hits };
    },
    clearRules() {
      rules.splice(0);
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      upstream.agent.destroy();
      await closed;
    },
  };
}
