// Durable group commit over one better-sqlite3 connection, shared by the storage server's object index
// (docs/adr/0004 "Commit order", "Consequences") and app-kit's upload records (docs/adr/0012).
// better-sqlite3 is synchronous and both run with synchronous=FULL, so every COMMIT blocks the event
// loop for one WAL fsync (0.3–1 ms on a quiet disk, several ms under load: perf-notes §1). One
// transaction per upload (or per callback) capped small uploads at a few hundred per second
// (bench/benchmarks-analysis.md, scenario 3). Here every write that arrives within one turn of the event
// loop joins ONE IMMEDIATE transaction: one WAL fsync for the batch, still before any member resolves.
//
// Per-member semantics are those of one transaction each, run in arrival order:
//   - each member runs in its own SAVEPOINT, so a member that throws (FileAlreadyExists, NoSuchBucket,
//     a duplicate record id) rolls back only its own changes and rejects only its own promise;
//   - a member sees the members before it, so of two forbid-overwrite writers of one key (or two
//     confirms of one record) in one batch the second sees the first, as if they had committed in turn;
//   - no member resolves before the batch's COMMIT returned (WAL fsynced: durable), so nothing that
//     follows a commit — an unlink, a response, a callback's 200 — can run ahead of durability;
//   - a failing BEGIN or COMMIT (SQLITE_BUSY, SQLITE_FULL, SQLITE_IOERR), or an error that made SQLite
//     roll the whole transaction back, rejects every member with that error: nothing of the batch is
//     stored, and each member's caller undoes or refuses its own part.
//
// Its own package because the server and app-kit may not depend on each other (docs/adr/0001).
import type Database from 'better-sqlite3';

interface Member {
  readonly work: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** Counters for tests and diagnostics. */
export interface GroupCommitStats {
  readonly batches: number;
  readonly members: number;
  readonly largestBatch: number;
}

export class SqliteGroupCommit {
  readonly #db: Database.Database;
  readonly #begin: Database.Statement;
  readonly #commit: Database.Statement;
  readonly #rollback: Database.Statement;
  /** Called inside the open batch transaction, better-sqlite3 runs `work` in a SAVEPOINT. */
  readonly #inSavepoint: (work: () => unknown) => unknown;
  #members: Member[] = [];
  #scheduled: NodeJS.Immediate | undefined;
  #stats: GroupCommitStats = { batches: 0, members: 0, largestBatch: 0 };

  constructor(db: Database.Database) {
    this.#db = db;
    // IMMEDIATE, not DEFERRED: better-sqlite3 #1067 (a deferred write can hit SQLITE_BUSY_SNAPSHOT).
    this.#begin = db.prepare('BEGIN IMMEDIATE');
    this.#commit = db.prepare('COMMIT');
    this.#rollback = db.prepare('ROLLBACK');
    this.#inSavepoint = db.transaction((work: () => unknown) => work());
  }

  get stats(): GroupCommitStats {
    return this.#stats;
  }

  /** Runs `work` (synchronous index statements) in the next batch; resolves once that batch is durable. */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#members.push({ work, resolve: resolve as (value: unknown) => void, reject });
      // setImmediate: after the poll phase, so every I/O completion of this turn has had its chance
      // to join; no timer, so an idle server adds no latency.
      this.#scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Writes the waiting members now (also called before the database is closed). */
  flush(): void {
    if (this.#scheduled !== undefined) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    const batch = this.#members;
    this.#members = [];
    if (batch.length === 0) return;
    const { batches, members, largestBatch } = this.#stats;
    this.#stats = {
      batches: batches + 1,
      members: members + batch.length,
      largestBatch: Math.max(largestBatch, batch.length),
    };
    let outcomes: Outcome[];
    try {
      outcomes = this.#write(batch);
    } catch (error) {
      for (const member of batch) member.reject(error);
      return;
    }
    batch.forEach((member, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) member.resolve(outcome.value);
      else member.reject(outcome.error);
    });
  }

  /** One transaction for the whole batch; throws (nothing written) when the batch as a whole failed. */
  #write(batch: readonly Member[]): Outcome[] {
    this.#begin.run();
    try {
      const outcomes = batch.map((member) => this.#runMember(member));
      this.#commit.run();
      return outcomes;
    } catch (error) {
      // A failed COMMIT can leave the transaction open; an automatic rollback (SQLITE_FULL, IOERR) not.
      if (this.#db.inTransaction) this.#rollback.run();
      throw error;
    }
  }

  #runMember(member: Member): Outcome {
    try {
      return { ok: true, value: this.#inSavepoint(member.work) };
    } catch (error) {
      // SQLite rolled back the whole transaction (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM…): the
      // members before this one are gone too, and the rest would run outside any transaction.
      if (!this.#db.inTransaction) throw error;
      return { ok: false, error };
    }
  }
}
