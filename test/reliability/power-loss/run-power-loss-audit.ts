// One audited server life: `upcall server` under the trace shim on a fresh data directory, the audit
// uploads, a clean SIGTERM, then the index read for the file behind each acknowledgement and the trace
// checked with checkDurability.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { driveAuditUploads, resolveAckFiles } from './audit-uploads.js';
import { checkDurability, type DurabilityReport, type ExpectedAck } from './check-durability.js';
import { parseFsTrace } from './parse-fs-trace.js';
import { inodeOf, startTracedServer } from './traced-server.js';

export interface AuditRun {
  readonly acks: readonly ExpectedAck[];
  readonly report: DurabilityReport;
  readonly dataDir: string;
}

const credentials = { bucket: 'audit', accessKeyId: 'LTAIpowerloss', accessKeySecret: 'power-loss-secret' };

export async function runPowerLossAudit(options: {
  readonly shimPath: string;
  readonly workDir: string;
  readonly name: string;
  readonly uploads: number;
  readonly faultInjection?: string;
}): Promise<AuditRun> {
  const dataDir = join(options.workDir, options.name);
  const tracePath = join(options.workDir, `${options.name}.trace.tsv`);
  mkdirSync(dataDir);
  const server = await startTracedServer({
    shimPath: options.shimPath,
    tracePath,
    dataDir,
    ...credentials,
    ...(options.faultInjection === undefined ? {} : { faultInjection: options.faultInjection }),
  });
  // Stopped before any error is rethrown: the index can only be read once the server let go of it.
  const driven = await driveAuditUploads({ port: server.port, ...credentials }, options.uploads, 4).then(
    (acks) => ({ acks }),
    (error: unknown) => ({ error }),
  );
  const exit = await server.stop();
  if ('error' in driven) throw driven.error;
  if (exit.code !== 0) throw new Error(`server exited ${JSON.stringify(exit)}\n${server.output()}`);
  const clientAcks = driven.acks;
  const acks = resolveAckFiles(dataDir, credentials.bucket, clientAcks);
  const report = checkDurability(parseFsTrace(readFileSync(tracePath, 'utf8')), {
    root: dataDir,
    rootIno: inodeOf(dataDir),
    indexPath: join(dataDir, 'index.sqlite'),
    acks,
  });
  return { acks, report, dataDir };
}
