// The counts a crash campaign reports (docs/reliability.md "Crash safety"): printed by the CI test
// through t.diagnostic and by `npm run soak`.
import type { UploadHistory } from './upload-history.js';

export interface SweepTotals {
  tempFiles: number;
  orphanBlobs: number;
  orphanParts: number;
}

export interface CrashCounters {
  restarts: number;
  selfKills: number;
  harnessKills: number;
  resumed: number;
  committedBeforeCrash: number;
  verified: number;
}

export interface CrashReport {
  readonly seed: number;
  readonly uploadsAttempted: number;
  readonly acknowledged: number;
  readonly rejected: number;
  /** Answers lost in a crash (the object may or may not have been committed). */
  readonly unanswered: number;
  readonly lost: readonly string[];
  readonly violations: readonly string[];
  readonly kills: number;
  readonly selfKills: number;
  readonly harnessKills: number;
  readonly restarts: number;
  readonly faultPlans: readonly string[];
  readonly unackedPresent: number;
  readonly multipartResumed: number;
  readonly multipartCommittedBeforeCrash: number;
  readonly sweep: SweepTotals;
  readonly objectsVerified: number;
  readonly durationMs: number;
}

export interface CrashTally {
  readonly seed: number;
  readonly history: UploadHistory;
  readonly counters: CrashCounters;
  readonly lost: ReadonlySet<string>;
  readonly violations: readonly string[];
  readonly faultPlans: readonly string[];
  readonly unackedPresent: number;
  readonly sweep: SweepTotals;
}

export function buildCrashReport(tally: CrashTally, durationMs: number): CrashReport {
  const attempts = tally.history.attempts();
  const count = (outcome: string) => attempts.filter((a) => a.outcome === outcome).length;
  const { counters } = tally;
  return {
    seed: tally.seed,
    uploadsAttempted: attempts.length,
    acknowledged: count('acked'),
    rejected: count('rejected'),
    unanswered: count('unknown'),
    lost: [...tally.lost],
    violations: [...tally.violations],
    kills: counters.selfKills + counters.harnessKills,
    selfKills: counters.selfKills,
    harnessKills: counters.harnessKills,
    restarts: counters.restarts,
    faultPlans: [...tally.faultPlans],
    unackedPresent: tally.unackedPresent,
    multipartResumed: counters.resumed,
    multipartCommittedBeforeCrash: counters.committedBeforeCrash,
    sweep: { ...tally.sweep },
    objectsVerified: counters.verified,
    durationMs,
  };
}

/** One line per figure, for people. */
export function renderCrashReport(report: CrashReport): string[] {
  const { sweep } = report;
  return [
    `seed                ${report.seed}`,
    `uploads attempted   ${report.uploadsAttempted}`,
    `acknowledged        ${report.acknowledged}`,
    `lost                ${report.lost.length}  (must be 0)`,
    `kills               ${report.kills}  (${report.selfKills} at a fault-injection point, ${report.harnessKills} by the harness)`,
    `unanswered          ${report.unanswered}  (${report.unackedPresent} committed without an answer)`,
    `rejected            ${report.rejected}`,
    `multipart resumed   ${report.multipartResumed}  (${report.multipartCommittedBeforeCrash} had committed before the crash)`,
    `swept at start-up   ${sweep.tempFiles} temp files, ${sweep.orphanBlobs} orphan blobs, ${sweep.orphanParts} orphan parts`,
    `objects read back   ${report.objectsVerified}`,
    `restarts            ${report.restarts}`,
    `duration            ${(report.durationMs / 1000).toFixed(1)} s`,
  ];
}
