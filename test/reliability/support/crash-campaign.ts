// The Jepsen-style crash campaign (threats §A6 (1), §C7 items 60–61): run `upcall server` as a child,
// drive PostObject, PutObject and multipart uploads, SIGKILL it — at a random upload from outside, or at
// an exact commit step from inside (UPCALL_FAULT_INJECTION=<point>:kill:<n>) — restart it on the same
// data directory and check, after every restart, before any new request:
//   the sweep reported no lost object or part and left tmp/ empty; one blob file per listed object and
//   one part file per listed part; every acknowledged upload readable byte-identical; only whole
//   objects visible (bytes hash to their ETag); open multipart uploads resumable or committed.
// The last epoch resumes what is still open and finishes the budget without kills; then a clean stop
// (SIGTERM ⇒ exit 0) and one more restart with a full check.
import { createMultipartClient, checkOpenUpload, type OpenUpload } from './upload-driver.js';
import { checkStore, countDataDirFiles, readSweepReport } from './check-store.js';
import { buildCrashReport, type CrashCounters, type CrashReport, type SweepTotals } from './crash-report.js';
import { runEpoch, type EpochDeps, type EpochPlan, type EpochResult } from './crash-epoch.js';
import type { OssTarget } from './oss-requests.js';
import { createSeededRandom, type SeededRandom } from './seeded-random.js';
import { startUpcallServer, type ServerProcess } from './server-process.js';
import { UploadHistory } from './upload-history.js';

export type { CrashReport } from './crash-report.js';

export interface CrashCampaignOptions {
  readonly dataDir: string;
  /** New uploads to start over the whole campaign. */
  readonly uploads: number;
  /** Crashes (epochs ended by SIGKILL) before the final epoch. */
  readonly kills: number;
  readonly seed: number;
  readonly concurrency?: number;
  readonly log?: (line: string) => void;
}

const credentials = {
  accessKeyId: 'RELIABILITYTESTKEY000001',
  accessKeySecret: 'reliability-secret-0000000000',
};
const bucket = 'crash';

/** Weighted towards the commit point the issue names (between data write and index commit). */
const killPoints = [
  'after-blob-rename',
  'after-blob-rename',
  'before-blob-rename',
  'after-data-write',
  'after-index-commit',
  'complete-before-rename',
  'complete-after-rename',
  'complete-after-commit',
];

class Campaign {
  readonly history = new UploadHistory();
  readonly open: OpenUpload[] = [];
  readonly random: SeededRandom;
  readonly lost = new Set<string>();
  readonly violations: string[] = [];
  readonly sweep: SweepTotals = { tempFiles: 0, orphanBlobs: 0, orphanParts: 0 };
  readonly counters: CrashCounters = {
    restarts: 0,
    selfKills: 0,
    harnessKills: 0,
    resumed: 0,
    committedBeforeCrash: 0,
    verified: 0,
  };
  unackedPresent = 0;
  readonly faultPlans: string[] = [];
  #nextId = 0;
  #checkedUpTo = 0;

  constructor(readonly options: CrashCampaignOptions) {
    this.random = createSeededRandom(options.seed);
  }

  async start(faultInjection?: string): Promise<ServerProcess> {
    const server = await startUpcallServer({
      dataDir: this.options.dataDir,
      bucket,
      ...credentials,
      logLevel: 'info',
      keepLine: (line) => line.includes('"object store opened"'),
      ...(faultInjection === undefined ? {} : { faultInjection }),
    });
    this.counters.restarts += 1;
    return server;
  }

  target(server: ServerProcess): OssTarget {
    return { port: server.port, bucket, ...credentials };
  }

  /** Every invariant, through the fresh server, before it sees a new upload. */
  async checkAfterRestart(server: ServerProcess, full = false): Promise<void> {
    this.readSweep(server);
    const target = this.target(server);
    const files = await countDataDirFiles(this.options.dataDir);
    if (files.tmpFiles !== 0)
      this.violations.push(`${files.tmpFiles} temp files survived the start-up sweep`);
    const check = await checkStore(target, this.history, this.keysToReadBack(full));
    check.lost.forEach((problem) => this.lost.add(problem));
    this.violations.push(...check.violations);
    this.unackedPresent = check.unackedPresent;
    this.counters.verified += check.verified;
    if (files.blobFiles !== check.listed) {
      this.violations.push(`${files.blobFiles} blob files for ${check.listed} listed objects`);
    }
    const ctx = { target, history: this.history, multipart: createMultipartClient(target) };
    let listedParts = 0;
    for (const open of [...this.open]) {
      const verdict = await checkOpenUpload(ctx, open);
      if (verdict.state === 'broken') this.violations.push(`${open.attempt.key}: ${verdict.problem}`);
      if (verdict.state !== 'resumable') this.open.splice(this.open.indexOf(open), 1);
      if (verdict.state === 'committed') this.counters.committedBeforeCrash += 1;
      if (verdict.state === 'committed' && check.objects.get(open.attempt.key)?.etag !== open.attempt.etag) {
        this.violations.push(`${open.attempt.key}: upload gone, but its object is not the completed one`);
      }
      if (verdict.state === 'resumable') listedParts += open.partsAcked.size;
    }
    if (files.partFiles !== listedParts) {
      this.violations.push(`${files.partFiles} part files for ${listedParts} listed parts`);
    }
  }

  /** GET-checked after a crash: keys written since the last check and open uploads; all when `full`. */
  keysToReadBack(full: boolean): Set<string> {
    const attempts = this.history.attempts();
    const recent = full ? attempts : attempts.slice(this.#checkedUpTo);
    this.#checkedUpTo = attempts.length;
    const keys = new Set(recent.map((attempt) => attempt.key));
    for (const open of this.open) keys.add(open.attempt.key);
    return keys;
  }

  readSweep(server: ServerProcess): void {
    const sweep = readSweepReport(server.output());
    if (sweep === undefined) return void this.violations.push('no sweep report in the start-up log');
    this.sweep.tempFiles += sweep.tempFilesRemoved;
    this.sweep.orphanBlobs += sweep.orphanBlobsRemoved;
    this.sweep.orphanParts += sweep.orphanPartsRemoved;
    if (sweep.lostObjects.length + sweep.lostParts.length > 0) {
      this.violations.push(`the sweep reported lost data: ${JSON.stringify(sweep)}`);
    }
  }

  async runLife(server: ServerProcess, plan: EpochPlan): Promise<EpochResult['endedBy']> {
    const target = this.target(server);
    const deps: EpochDeps = {
      server,
      ctx: { target, history: this.history, multipart: createMultipartClient(target) },
      history: this.history,
      random: this.random,
      open: this.open,
      concurrency: this.options.concurrency ?? 4,
      nextId: () => (this.#nextId += 1),
    };
    const result = await runEpoch(deps, plan);
    this.counters.resumed += result.resumed;
    if (result.endedBy === 'self') this.counters.selfKills += 1;
    if (result.endedBy === 'harness') this.counters.harnessKills += 1;
    this.history.markPendingUnknown();
    return result.endedBy;
  }

  chooseFault(quota: number): string | undefined {
    if (this.random.chance(0.5)) return undefined;
    return `${this.random.pick(killPoints)}:kill:${this.random.int(1, Math.max(1, Math.ceil(quota / 2)))}`;
  }
}

export async function runCrashCampaign(options: CrashCampaignOptions): Promise<CrashReport> {
  const startedMs = Date.now();
  const campaign = new Campaign(options);
  const log = options.log ?? (() => undefined);
  for (let epoch = 0; epoch < options.kills; epoch += 1) {
    const remaining = options.uploads - campaign.history.attempts().length;
    const quota = Math.ceil(remaining / (options.kills - epoch + 1));
    const fault = campaign.chooseFault(quota);
    const server = await campaign.start(fault);
    try {
      await campaign.checkAfterRestart(server);
      const killAfterStarted = fault === undefined ? campaign.random.int(1, Math.max(1, quota)) : Infinity;
      const endedBy = await campaign.runLife(server, { quota, killAfterStarted });
      const how = endedBy === 'self' ? 'fired' : 'not reached: harness SIGKILL';
      campaign.faultPlans.push(
        fault === undefined ? `harness SIGKILL at upload ${killAfterStarted}` : `${fault} (${how})`,
      );
      log(
        `epoch ${epoch + 1}: ${campaign.faultPlans.at(-1)}, ${campaign.history.attempts().length} uploads so far`,
      );
    } finally {
      await server.kill('SIGKILL');
    }
  }
  await finish(campaign);
  return buildCrashReport({ ...campaign, seed: options.seed }, Date.now() - startedMs);
}

/** The last life: resume, finish the budget, stop cleanly; then a last restart and a full check. */
async function finish(campaign: Campaign): Promise<void> {
  const server = await campaign.start();
  try {
    await campaign.checkAfterRestart(server);
    const quota = campaign.options.uploads - campaign.history.attempts().length;
    await campaign.runLife(server, { quota, killAfterStarted: undefined });
    const exit = await server.stop();
    if (exit.code !== 0) campaign.violations.push(`SIGTERM ended the server with ${JSON.stringify(exit)}`);
  } finally {
    await server.kill('SIGKILL');
  }
  const last = await campaign.start();
  try {
    await campaign.checkAfterRestart(last, true);
    if (campaign.open.length > 0) campaign.violations.push(`${campaign.open.length} uploads never completed`);
  } finally {
    await last.stop();
  }
}
