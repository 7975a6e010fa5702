// Threats §C7 item 62, power loss, as a trace-based durability audit (docs/reliability.md "Power loss"):
// the server runs under fs-trace-shim.so, and for a power cut at the instant of every acknowledgement
// the checker requires each object acknowledged so far to be in the state that survives a cut in the
// strict POSIX model (fsynced bytes, fsync-covered directory entries, a fsynced index commit). Two more
// lives run with the store's data or directory fsync skipped (UPCALL_FAULT_INJECTION `skip`), and the
// audit must name every affected object: a check that cannot fail proves nothing.
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAllServers } from '../support/server-process.js';
import type { FindingKind } from './check-durability.js';
import { runPowerLossAudit, type AuditRun } from './run-power-loss-audit.js';
import { buildTraceShim } from './traced-server.js';

const uploads = Number(process.env.RELIABILITY_POWER_LOSS_UPLOADS ?? 20);

describe('power-loss audit of upcall server (threats §C7 item 62)', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'upcall-power-loss-'));
  let shim: { path: string } | { skip: string } = { skip: 'not built' };

  before(async () => {
    shim = await buildTraceShim(workDir);
  });

  after(async () => {
    await killAllServers();
    rmSync(workDir, { recursive: true, force: true });
  });

  async function audited(
    t: TestContext,
    name: string,
    faultInjection?: string,
  ): Promise<AuditRun | undefined> {
    if (!('path' in shim)) {
      t.skip(shim.skip);
      return undefined;
    }
    const run = await runPowerLossAudit({
      shimPath: shim.path,
      workDir,
      name,
      uploads,
      ...(faultInjection === undefined ? {} : { faultInjection }),
    });
    const withFile = run.acks.filter((ack) => ack.path !== undefined).length;
    t.diagnostic(
      `${name}: ${run.acks.length} acknowledgements (${withFile} with a file), ${run.report.cuts} cuts, ${run.report.objectChecks} object checks, ${run.report.events} trace events, ${run.report.findings.length} findings`,
    );
    return run;
  }

  const labelsOf = (run: AuditRun, kind: FindingKind): string[] =>
    run.report.findings
      .filter((finding) => finding.kind === kind)
      .map((finding) => finding.label)
      .sort();

  it('keeps every acknowledged object in the state a power cut leaves, at every acknowledgement', async (t) => {
    const run = await audited(t, 'clean');
    if (run === undefined) return;
    assert.deepEqual(run.report.findings, []);
    assert.equal(run.report.cuts, run.acks.length, 'every acknowledgement was found in the trace');
    assert.equal(
      run.acks.length,
      uploads + Math.floor(uploads / 5) * 3 + 7,
      'put, post, multipart and open-upload acks',
    );
    const withFile = run.acks.filter((ack) => ack.path !== undefined);
    assert.ok(run.report.objectChecks >= withFile.length * 2, 'each file checked at its cut and at shutdown');
  });

  it('names every non-empty acknowledged object when the store skips its data fsync', async (t) => {
    const run = await audited(t, 'no-data-fsync', 'data-fsync:skip');
    if (run === undefined) return;
    const expected = run.acks
      .filter((ack) => ack.path !== undefined && (ack.bytes ?? 0) > 0)
      .map((ack) => ack.label);
    assert.ok(expected.length >= uploads / 2);
    assert.deepEqual(labelsOf(run, 'data-not-durable'), expected.sort());
    assert.deepEqual(new Set(run.report.findings.map((f) => f.kind)), new Set(['data-not-durable']));
  });

  it('names every acknowledged object when the store skips its directory fsyncs', async (t) => {
    const run = await audited(t, 'no-dir-fsync', 'dir-fsync:skip');
    if (run === undefined) return;
    const expected = run.acks.filter((ack) => ack.path !== undefined).map((ack) => ack.label);
    assert.deepEqual(labelsOf(run, 'entry-not-durable'), expected.sort());
    assert.deepEqual(new Set(run.report.findings.map((f) => f.kind)), new Set(['entry-not-durable']));
  });
});
