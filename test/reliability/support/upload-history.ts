// What the crash harness sent and what it was told, per key — the history the invariants are checked
// against (threats §A6: "every key is either absent or byte-identical to a fully acknowledged upload").
// Writes to one key never overlap (the driver serialises them), so after any crash a key may hold:
//   - the body of its last acknowledged attempt, or
//   - the body of a later attempt whose answer was lost in the crash (committed, not acknowledged),
//   - nothing at all only if no attempt was ever acknowledged.
// A rejected attempt (a non-2xx answer) must never become visible.
import { buildMultipartEtag } from '@upcall/protocol';
import { createHash } from 'node:crypto';
import { buildBody, buildSingleEtag, sha256Hex } from './seeded-random.js';

export type UploadKind = 'post' | 'put' | 'multipart';

/** pending: in flight; unknown: the answer was lost (connection died with the server). */
export type Outcome = 'pending' | 'acked' | 'rejected' | 'unknown';

export interface Attempt {
  readonly id: number;
  readonly key: string;
  readonly kind: UploadKind;
  readonly seed: number;
  readonly size: number;
  /** Multipart: the sizes of parts 1…n (all but the last ≥ 100 KiB, oss-protocol §8.5). */
  readonly partSizes: readonly number[];
  readonly sha256: string;
  /** The ETag the stored object must carry (single MD5, or the multipart form `"…-n"`). */
  readonly etag: string;
  outcome: Outcome;
  status: number | undefined;
}

export interface KeyExpectation {
  /** Attempts whose body the key may hold now. */
  readonly allowed: readonly Attempt[];
  /** True when no attempt was acknowledged, so an absent key is fine. */
  readonly mayBeAbsent: boolean;
  /** The last acknowledged attempt, if any (losing it is data loss). */
  readonly acked: Attempt | undefined;
}

export function splitParts(body: Buffer, partSizes: readonly number[]): Buffer[] {
  let offset = 0;
  return partSizes.map((size) => body.subarray(offset, (offset += size)));
}

/** The ETag of an object built from these parts: MD5 of the part MD5s, `-<count>` (oss-protocol §8.5). */
export function buildPartsEtag(body: Buffer, partSizes: readonly number[]): string {
  const partEtags = splitParts(body, partSizes).map(
    (part) => `"${createHash('md5').update(part).digest('hex').toUpperCase()}"`,
  );
  return buildMultipartEtag(partEtags);
}

export class UploadHistory {
  readonly #attempts: Attempt[] = [];
  readonly #byKey = new Map<string, Attempt[]>();

  /** Records a new attempt; its body is rebuilt from (seed, size) whenever needed, never kept. */
  begin(kind: UploadKind, key: string, seed: number, partSizes: readonly number[]): Attempt {
    const size = partSizes.reduce((sum, part) => sum + part, 0);
    const body = buildBody(seed, size);
    const attempt: Attempt = {
      id: this.#attempts.length + 1,
      key,
      kind,
      seed,
      size,
      partSizes,
      sha256: sha256Hex(body),
      etag: kind === 'multipart' ? buildPartsEtag(body, partSizes) : buildSingleEtag(body),
      outcome: 'pending',
      status: undefined,
    };
    this.#attempts.push(attempt);
    this.#byKey.set(key, [...(this.#byKey.get(key) ?? []), attempt]);
    return attempt;
  }

  settle(attempt: Attempt, outcome: Exclude<Outcome, 'pending'>, status?: number): void {
    attempt.outcome = outcome;
    attempt.status = status;
  }

  /** A multipart attempt whose upload is being resumed is in flight again. */
  reopen(attempt: Attempt): void {
    attempt.outcome = 'pending';
    attempt.status = undefined;
  }

  /** After a crash: every attempt still pending lost its answer. */
  markPendingUnknown(): void {
    for (const attempt of this.#attempts) if (attempt.outcome === 'pending') attempt.outcome = 'unknown';
  }

  expect(key: string): KeyExpectation {
    const attempts = this.#byKey.get(key) ?? [];
    let lastAcked = -1;
    attempts.forEach((attempt, index) => {
      if (attempt.outcome === 'acked') lastAcked = index;
    });
    const later = attempts
      .slice(lastAcked + 1)
      .filter((a) => a.outcome === 'unknown' || a.outcome === 'pending');
    const acked = lastAcked === -1 ? undefined : attempts[lastAcked];
    return {
      allowed: acked === undefined ? later : [acked, ...later],
      mayBeAbsent: acked === undefined,
      acked,
    };
  }

  keys(): string[] {
    return [...this.#byKey.keys()];
  }

  attempts(): readonly Attempt[] {
    return this.#attempts;
  }

  isBusy(key: string): boolean {
    return (this.#byKey.get(key) ?? []).some((attempt) => attempt.outcome === 'pending');
  }
}
