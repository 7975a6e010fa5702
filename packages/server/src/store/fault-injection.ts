// Fault injection for crash and disk-full testing (threats §A6 "kill -9 at randomised points … inject via
// a test hook", §C7 items 60–63). FsObjectStore calls injectFault(point) at each step of its commit
// protocol; the hook does nothing unless UPCALL_FAULT_INJECTION names that point when the module loads:
//
//   UPCALL_FAULT_INJECTION=<point>:<action>[:<hits>][,<point>:<action>[:<hits>]…]
//
//   point   one of faultPoints below
//   action  kill   — the process SIGKILLs itself there (a crash at exactly that step)
//           enospc — the step throws ENOSPC, as write(2) does on a full disk
//           eio    — the step throws EIO
//           skip   — only at the fsync points (fsyncFaultPoints): the store omits that fsync, to prove
//                    the power-loss audit (test/reliability/power-loss/) notices a missing flush
//   hits    which arrivals at the point fire (1-based, counted per rule): `3` = only the third,
//           `2-4` = the second to the fourth, `5-` = the fifth and every later one. Default: all of them.
//
// The variable is read once, when the module is first imported: the hook sits deep in the store, where
// plumbing an option through every constructor would put test machinery into production signatures.
// Unset, injectFault is one comparison with undefined (zero cost on the hot path). A malformed value
// throws at import, so `upcall server` refuses to start rather than silently run without the fault a
// test asked for; a valid one is announced once on stderr so nobody runs armed by accident.

export const faultPoints = [
  /** A staged write (object body or multipart part) is written, fsynced and closed; before its size check. */
  'after-data-write',
  /** The staged file is fsynced and size-checked; before its rename into blobs/ or parts/. */
  'before-blob-rename',
  /** Renamed into place and its directory fsynced; before the index transaction (the commit point). */
  'after-blob-rename',
  /** The index transaction committed; before the replaced file is unlinked and the client answered. */
  'after-index-commit',
  /** CompleteMultipartUpload: the parts are assembled into tmp/; before the rename into blobs/. */
  'complete-before-rename',
  /** CompleteMultipartUpload: renamed into blobs/ and fsynced; before the index transaction. */
  'complete-after-rename',
  /** CompleteMultipartUpload: committed; before the part files and the replaced blob are unlinked. */
  'complete-after-commit',
] as const;

/** fsync calls a test may ask the store to skip (`skip`), or fail (`eio`), or die at (`kill`). */
export const fsyncFaultPoints = [
  /** fsync of a staged file (object body, part, assembled multipart object) before its rename. */
  'data-fsync',
  /** fsync of a directory after a rename or mkdir into it (blobs/<shard>/, parts/, blobs/). */
  'dir-fsync',
] as const;

export type FaultPoint = (typeof faultPoints)[number] | (typeof fsyncFaultPoints)[number];

export const faultActions = ['kill', 'enospc', 'eio', 'skip'] as const;

export type FaultAction = (typeof faultActions)[number];

export interface FaultRule {
  readonly point: FaultPoint;
  readonly action: FaultAction;
  /** First arrival (1-based) that fires. */
  readonly fromHit: number;
  /** Last arrival that fires; Infinity = every later one. */
  readonly toHit: number;
}

export const faultInjectionEnv = 'UPCALL_FAULT_INJECTION';

const errnoByAction = { enospc: ['ENOSPC', -28], eio: ['EIO', -5] } as const;

function parseHits(text: string | undefined, rule: string): { fromHit: number; toHit: number } {
  if (text === undefined) return { fromHit: 1, toHit: Infinity };
  const match = /^([1-9]\d{0,8})(?:(-)([1-9]\d{0,8})?)?$/.exec(text);
  if (match === null) throw new Error(`${faultInjectionEnv}: bad hit range "${text}" in "${rule}"`);
  const fromHit = Number(match[1]);
  const toHit = match[2] === undefined ? fromHit : match[3] === undefined ? Infinity : Number(match[3]);
  if (toHit < fromHit) throw new Error(`${faultInjectionEnv}: empty hit range "${text}" in "${rule}"`);
  return { fromHit, toHit };
}

function isMember<T extends string>(list: readonly T[], value: string | undefined): value is T {
  return list.includes(value as T);
}

/** Parses the variable's value; throws on anything it does not recognise (a typo must not disarm a test). */
export function parseFaultInjection(text: string): FaultRule[] {
  return text
    .split(',')
    .map((rule) => rule.trim())
    .filter((rule) => rule !== '')
    .map((rule) => {
      const [point, action, hits, ...rest] = rule.split(':');
      const known = [...faultPoints, ...fsyncFaultPoints];
      if (!isMember(known, point)) {
        throw new Error(`${faultInjectionEnv}: unknown point "${point}" (known: ${known.join(', ')})`);
      }
      if (!isMember(faultActions, action) || rest.length > 0) {
        throw new Error(`${faultInjectionEnv}: bad action in "${rule}" (known: ${faultActions.join(', ')})`);
      }
      if (action === 'skip' && !isMember(fsyncFaultPoints, point)) {
        throw new Error(
          `${faultInjectionEnv}: "skip" only applies to ${fsyncFaultPoints.join(', ')}: "${rule}"`,
        );
      }
      return { point, action, ...parseHits(hits, rule) };
    });
}

/** The error Node's fs layer raises for `code`, marked as injected. */
function injectedError(action: 'enospc' | 'eio', point: FaultPoint): NodeJS.ErrnoException {
  const [code, errno] = errnoByAction[action];
  const error: NodeJS.ErrnoException = new Error(`${code}: injected fault at ${point}, write`);
  error.code = code;
  error.errno = errno;
  error.syscall = 'write';
  return error;
}

/**
 * A hook that counts arrivals per rule and fires the matching ones; `kill` is replaceable for tests.
 * Returns true when a `skip` rule fired (the caller then omits its fsync).
 */
export function createFaultInjector(
  rules: readonly FaultRule[],
  kill: () => void = () => process.kill(process.pid, 'SIGKILL'),
): (point: FaultPoint) => boolean {
  const hits = rules.map(() => 0);
  return (point) => {
    let skip = false;
    rules.forEach((rule, index) => {
      if (rule.point !== point) return;
      const hit = (hits[index] ?? 0) + 1;
      hits[index] = hit;
      if (hit < rule.fromHit || hit > rule.toHit) return;
      if (rule.action === 'kill') kill();
      else if (rule.action === 'skip') skip = true;
      else throw injectedError(rule.action, point);
    });
    return skip;
  };
}

function armFromEnvironment(value: string | undefined): ((point: FaultPoint) => boolean) | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const rules = parseFaultInjection(value);
  process.stderr.write(`upcall: FAULT INJECTION ARMED (${faultInjectionEnv}=${value}); testing only\n`);
  return createFaultInjector(rules);
}

const armed = armFromEnvironment(process.env[faultInjectionEnv]);

/** The call-site hook: inert unless UPCALL_FAULT_INJECTION names `point`. */
export function injectFault(point: FaultPoint): void {
  if (armed !== undefined) armed(point);
}

/** The hook at an fsync point: true when a `skip` rule says to omit this fsync (never when unarmed). */
export function skipFsyncByFault(point: (typeof fsyncFaultPoints)[number]): boolean {
  return armed !== undefined && armed(point);
}
