// Finds objects that reached storage without a confirmed callback (OSS answered 203, the app was down,
// the database was locked: threats §C6.55, §C6.57, §C6.58, §C7.61) and records them as stored-unconfirmed;
// expires pending tickets that ran out with nothing stored. The object lister is injected so the same job
// runs against Upcall and real OSS; nothing storage-specific lives here.
import { checkReportedKey } from './upload-record-rules.js';
import type { UploadRecord, UploadRecordStore, UploadStatus } from './upload-record-store.js';

export interface ListedObject {
  readonly key: string;
  readonly size: number;
  /** Quoted or bare; the store keeps it bare. */
  readonly etag: string;
  /** Storage's LastModified; when known, objects older than the ticket are not attributed to it. */
  readonly lastModifiedMs?: number;
}

export type ObjectLister = (bucket: string, prefix: string) => AsyncIterable<ListedObject>;

export interface ReconcileUploadsOptions {
  readonly store: UploadRecordStore;
  readonly listObjects: ObjectLister;
  readonly nowMs: number;
  /** Expired records created this recently are re-checked for a late object; default 24 h. */
  readonly expiredLookbackMs?: number;
  /** Storage clock vs app clock, and LastModified's 1 s resolution; default 60 s. */
  readonly clockSkewMs?: number;
  /** Records read per list() call; default 200. */
  readonly pageSize?: number;
}

export interface ReconcileSummary {
  /** Records examined (pending, plus expired ones within the lookback). */
  readonly checked: number;
  readonly markedStoredUnconfirmed: number;
  readonly expired: number;
  /** Prefix records skipped because another open record has the same bucket and prefix. */
  readonly ambiguous: number;
}

const dayMs = 24 * 60 * 60 * 1000;

export async function reconcileUploads(options: ReconcileUploadsOptions): Promise<ReconcileSummary> {
  const { store, nowMs } = options;
  const pending = await collectRecords(store, 'pending', options.pageSize ?? 200, -Infinity);
  const cutoffMs = nowMs - (options.expiredLookbackMs ?? dayMs);
  const expired = await collectRecords(store, 'expired', options.pageSize ?? 200, cutoffMs);
  // Exact keys first, so a prefix record cannot take an object an exact-key ticket names.
  const candidates = [...pending, ...expired].sort((a, b) => Number(a.keyIsPrefix) - Number(b.keyIsPrefix));
  const prefixCounts = countPrefixes(candidates);
  const claimed = new Set<string>();
  let marked = 0;
  let ambiguous = 0;
  for (const record of candidates) {
    if (record.keyIsPrefix && (prefixCounts.get(slot(record.bucket, record.key)) ?? 0) > 1) {
      ambiguous += 1;
      continue;
    }
    const found = await findObject(options, record, claimed);
    if (found === undefined) continue;
    claimed.add(slot(record.bucket, found.key));
    const after = await store.markStoredUnconfirmed(record.id, found);
    if (after?.status === 'stored-unconfirmed') marked += 1;
  }
  // After the search, so a past-expiry ticket whose object was just found is not expired first.
  const expiredCount = await store.expirePending(nowMs);
  return { checked: candidates.length, markedStoredUnconfirmed: marked, expired: expiredCount, ambiguous };
}

/** Newest first; stops at records created before `stopBeforeMs` (the list is ordered by creation). */
async function collectRecords(
  store: UploadRecordStore,
  status: UploadStatus,
  pageSize: number,
  stopBeforeMs: number,
): Promise<UploadRecord[]> {
  const out: UploadRecord[] = [];
  let before: { createdAtMs: number; id: string } | undefined;
  for (;;) {
    const page = await store.list({ status, limit: pageSize, ...(before === undefined ? {} : { before }) });
    for (const record of page) {
      if (record.createdAtMs < stopBeforeMs) return out;
      out.push(record);
    }
    const last = page.at(-1);
    if (last === undefined || page.length < pageSize) return out;
    before = { createdAtMs: last.createdAtMs, id: last.id };
  }
}

function slot(bucket: string, key: string): string {
  return `${bucket}\u0000${key}`;
}

function countPrefixes(records: readonly UploadRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of records) {
    if (r.keyIsPrefix) counts.set(slot(r.bucket, r.key), (counts.get(slot(r.bucket, r.key)) ?? 0) + 1);
  }
  return counts;
}

/** The record's object: the exact key, or the newest unclaimed object under the prefix, not older than the ticket. */
async function findObject(
  options: ReconcileUploadsOptions,
  record: UploadRecord,
  claimed: ReadonlySet<string>,
): Promise<ListedObject | undefined> {
  const notBeforeMs = record.createdAtMs - (options.clockSkewMs ?? 60_000);
  let best: ListedObject | undefined;
  for await (const object of options.listObjects(record.bucket, record.key)) {
    if (!checkReportedKey(record, object.key) || claimed.has(slot(record.bucket, object.key))) continue;
    if (object.lastModifiedMs !== undefined && object.lastModifiedMs < notBeforeMs) continue;
    if (!record.keyIsPrefix) return object;
    if (best === undefined || (object.lastModifiedMs ?? -Infinity) > (best.lastModifiedMs ?? -Infinity)) {
      best = object;
    }
  }
  return best;
}
