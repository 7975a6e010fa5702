// Durable group commit for SqliteUploadRecordStore (docs/adr/0012; the same design as the server's
// index queue, docs/adr/0004). better-sqlite3 is synchronous and the records run with synchronous=FULL,
// so every COMMIT blocks the event loop for one WAL fsync (several ms on a loaded disk). One transaction
// per callback capped a callback endpoint at a few hundred confirmations per second. Here every write
// that arrives within one turn of the event loop joins ONE IMMEDIATE transaction: one fsync per batch,
// paid before any member resolves.
//
// Per-member semantics are those of one transaction each, run in arrival order:
//   - each member runs in its own SAVEPOINT, so a member that throws (a duplicate id) rolls back only
//     its own changes and rejects only its own promise;
//   - a member sees the members before it: of two confirms of one id in one batch, the second finds the
//     record confirmed and answers 'replayed' or 'conflict', exactly as if they had committed in turn;
//   - no member resolves before the batch's COMMIT returned (WAL fsynced), so a callback handler never
//     replies 200 for a record that a power cut could still undo (threats §C6.57);
//   - a failing BEGIN or COMMIT (SQLITE_BUSY after busy_timeout, SQLITE_FULL, SQLITE_IOERR), or an error
//     that made SQLite roll the whole transaction back, rejects every member: nothing of the batch is
//     stored, and each handler answers non-200 so OSS reports 203 (§9.6).
import type Database from 'better-sqlite3';

interface Member {
  readonly work: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** Counters for tests and diagnostics. */
export interface WriteBatchStats {
  readonly batches: number;
  readonly members: number;
  readonly largestBatch: number;
}

export class SqliteWriteBatch {
  readonly #db: Database.Database;
  readonly #begin: Database.Statement;
  readonly #commit: Database.Statement;
  readonly #rollback: Database.Statement;
  /** Called inside the open batch transaction, better-sqlite3 runs `work` in a SAVEPOINT. */
  readonly #inSavepoint: (work: () => unknown) => unknown;
  #members: Member[] = [];
  #scheduled: NodeJS.Immediate | undefined;
  #stats: WriteBatchStats = { batches: 0, members: 0, largestBatch: 0 };

  constructor(db: Database.Database) {
    this.#db = db;
    // IMMEDIATE: takes the write lock before the first read, so each member's read-check-update is one
    // unit against other connections too (and avoids SQLITE_BUSY_SNAPSHOT, better-sqlite3 #1067).
    this.#begin = db.prepare('BEGIN IMMEDIATE');
    this.#commit = db.prepare('COMMIT');
    this.#rollback = db.prepare('ROLLBACK');
    this.#inSavepoint = db.transaction((work: () => unknown) => work());
  }

  get stats(): WriteBatchStats {
    return this.#stats;
  }

  /** Runs `work` (synchronous statements) in the next batch; resolves once that batch is durable. */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#members.push({ work, resolve: resolve as (value: unknown) => void, reject });
      // setImmediate: after the poll phase, so every request that arrived in this turn can join; no
      // timer, so an idle endpoint adds no latency.
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
