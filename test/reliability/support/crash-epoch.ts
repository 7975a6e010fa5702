// One life of the server in the crash campaign: workers send uploads (new ones, and open multipart
// uploads left by the previous crash) until the server dies — by its own fault-injection point
// (UPCALL_FAULT_INJECTION=<point>:kill:<n>) or by the harness's SIGKILL at a random upload — or, in the
// final epoch, until the work is done. Every request the dead server had in flight becomes `unknown`.
import { setTimeout as sleep } from 'node:timers/promises';
import type { SeededRandom } from './seeded-random.js';
import type { ServerProcess } from './server-process.js';
import type { Attempt, UploadHistory, UploadKind } from './upload-history.js';
import { runMultipartUpload, runSingleUpload, type DriverContext, type OpenUpload } from './upload-driver.js';

const kib = 1024;
/** Keys written again and again (overwrites under crashes: old version or new, never a mix). */
const hotKeys = ['hot/0', 'hot/1', 'hot/2', 'hot/3'];

export interface EpochPlan {
  /** New uploads to start in this epoch. */
  readonly quota: number;
  /**
   * SIGKILL from the harness once this many uploads were started (Infinity: only if the fault point
   * never fired, after the work is done). undefined: the final epoch, which must end alive.
   */
  readonly killAfterStarted: number | undefined;
}

export interface EpochResult {
  readonly started: number;
  readonly resumed: number;
  /** Who ended the epoch: the harness, the server itself (fault injection), or nobody (final epoch). */
  readonly endedBy: 'harness' | 'self' | 'none';
}

export interface EpochDeps {
  readonly server: ServerProcess;
  readonly ctx: DriverContext;
  readonly history: UploadHistory;
  readonly random: SeededRandom;
  readonly open: OpenUpload[];
  readonly concurrency: number;
  /** Next upload number (keys and seeds derive from it). */
  nextId: () => number;
}

function pickSingleSize(random: SeededRandom): number {
  const roll = random.next();
  if (roll < 0.05) return 0;
  if (roll < 0.3) return random.int(1, 4 * kib);
  if (roll < 0.85) return random.int(4 * kib, 256 * kib);
  return random.int(256 * kib, 2048 * kib);
}

function pickPartSizes(random: SeededRandom): number[] {
  const full = () => random.int(100 * kib, 160 * kib); // OSS: every part but the last ≥ 100 KiB
  return random.chance(0.5) ? [full(), random.int(1, 100 * kib)] : [full(), full(), random.int(1, 100 * kib)];
}

/** Starts one new upload of a random kind (PostObject V1/V4, PutObject, multipart). */
async function startNewUpload(deps: EpochDeps): Promise<Attempt> {
  const { random, history } = deps;
  const id = deps.nextId();
  const roll = random.next();
  const kind: UploadKind = roll < 0.4 ? 'post' : roll < 0.8 ? 'put' : 'multipart';
  if (kind === 'multipart') {
    const attempt = history.begin('multipart', `mp/${id}`, id, pickPartSizes(random));
    const open: OpenUpload = { attempt, uploadId: undefined, partsAcked: new Set(), completeSent: false };
    deps.open.push(open);
    await runMultipartUpload(deps.ctx, open);
    if (attempt.outcome === 'acked' || attempt.outcome === 'rejected')
      deps.open.splice(deps.open.indexOf(open), 1);
    return attempt;
  }
  const hot = random.chance(0.2) ? hotKeys.find((key) => !history.isBusy(key)) : undefined;
  const attempt = history.begin(kind, hot ?? `${kind}/${id}`, id, [pickSingleSize(random)]);
  await runSingleUpload(deps.ctx, attempt, random.chance(0.5) ? 'v1' : 'v4');
  return attempt;
}

/** Sends the missing parts of an upload a crash left open, then Complete. */
async function resumeUpload(deps: EpochDeps, open: OpenUpload): Promise<Attempt> {
  deps.history.reopen(open.attempt);
  open.completeSent = false;
  await runMultipartUpload(deps.ctx, open);
  const { outcome } = open.attempt;
  if (outcome === 'acked' || outcome === 'rejected') deps.open.splice(deps.open.indexOf(open), 1);
  return open.attempt;
}

export async function runEpoch(deps: EpochDeps, plan: EpochPlan): Promise<EpochResult> {
  const { server } = deps;
  let started = 0;
  let resumed = 0;
  let harnessKilled = false;
  // Stop starting uploads once the server is gone (or a lost answer says it is about to be).
  let dead = false;
  let lostAnswer = false;
  void server.exited.then(() => (dead = true));
  const settle = (attempt: Attempt): void => {
    if (attempt.outcome === 'unknown') dead = lostAnswer = true;
  };
  const toResume = [...deps.open];
  const killNow = async (): Promise<void> => {
    await sleep(deps.random.int(0, 40)); // land somewhere inside the upload just started
    if (server.isRunning()) {
      harnessKilled = true;
      await server.kill('SIGKILL');
    }
  };
  let killing: Promise<void> | undefined;
  const worker = async (): Promise<void> => {
    while (!dead) {
      const open = toResume.shift();
      if (open !== undefined) {
        resumed += 1;
        settle(await resumeUpload(deps, open));
        continue;
      }
      if (started >= plan.quota) return;
      started += 1;
      const upload = startNewUpload(deps);
      if (started === plan.killAfterStarted) killing = killNow();
      settle(await upload);
    }
  };
  await Promise.all(Array.from({ length: deps.concurrency }, worker));
  await killing;
  if (plan.killAfterStarted !== undefined && !harnessKilled) {
    // A lost answer may mean the fault point fired: give its exit a moment to arrive. Otherwise the
    // point was not reached in this epoch; crash the server anyway.
    if (lostAnswer) await Promise.race([server.exited, sleep(2_000)]);
    if (server.isRunning()) {
      harnessKilled = true;
      await server.kill('SIGKILL');
    }
  }
  if (plan.killAfterStarted === undefined) {
    if (!server.isRunning()) throw new Error(`the server died in the final epoch\n${server.output()}`);
    return { started, resumed, endedBy: 'none' };
  }
  const exit = await server.exited;
  if (exit.signal !== 'SIGKILL')
    throw new Error(`the server died on its own: ${JSON.stringify(exit)}\n${server.output()}`);
  return { started, resumed, endedBy: harnessKilled ? 'harness' : 'self' };
}
