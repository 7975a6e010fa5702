// Child entry for the slow-client tests: the same server `upcall server` starts (startServer), with the
// HTTP timeouts shortened. ServerConfig has headersTimeoutMs / idleTimeoutMs / keepAliveTimeoutMs, but
// `upcall server` exposes no flag or variable for them yet (docs/reliability.md "Load and exhaustion":
// a gap), so a test that wants seconds rather than 20 s / 60 s has to start the server this way.
// Config: JSON in RELIABILITY_SERVER_CONFIG (merged over the defaults below). Prints the banner's
// `endpoint` line once serving; SIGTERM closes it gracefully.
import { pino } from 'pino';
import { startServer, type ServerConfig } from '@upcall/server';

const overrides = JSON.parse(process.env.RELIABILITY_SERVER_CONFIG ?? '{}') as Partial<ServerConfig>;
const config: ServerConfig = {
  host: '127.0.0.1',
  port: 0,
  dataDir: './.upcall-reliability',
  buckets: ['slow'],
  accessKeyId: 'SLOWCLIENTTESTKEY0000001',
  accessKeySecret: 'slow-secret-00000000000000000',
  callbackTargets: 'dev',
  corsOrigins: [],
  publicEndpoint: '',
  callbackTimeoutMs: 5_000,
  callbackKeyBits: 2048,
  maxObjectBytes: 5 * 1024 ** 3,
  shutdownGraceMs: 2_000,
  logLevel: 'warn',
  ...overrides,
};
const running = await startServer(config, { log: pino({ level: config.logLevel ?? 'warn' }) });
process.stdout.write(`Upcall storage server is running (test timeouts)\n  endpoint ${running.url}\n`);
process.once('SIGTERM', () => {
  void running.close().then(() => process.exit(0));
});
