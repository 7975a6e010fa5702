// The power-loss verdict over an fs trace (threats §C7 item 62): cut the power at the moment each
// acknowledgement left the server (the shim logs an HTTP response head before its bytes are written) and
// ask whether DurableState — only fsynced data and fsync-covered directory entries — still holds every
// object acknowledged so far. Per acknowledged object, at its own cut and at every later one:
//   data    its file (blob or part) exists; every write to it is covered by a completed fsync; the
//           trace saw exactly the bytes the client sent written to it (else writes bypassed the trace);
//   entry   the file's name, and every directory above it up to the root, is durable;
//   index   the SQLite index was written after the file was published (the commit of its row), and
//           every write to the index files (db, -wal, -journal) made before the cut is fsync-covered,
//           their names durable. better-sqlite3 runs each transaction synchronously on the main thread,
//           so no commit can be half-way at a cut the main thread makes; "all index writes durable"
//           therefore stands for "the committed row is durable" without decoding SQLite pages.
// Anything the trace cannot see (io_uring, shared writable mmap, sendfile/copy_file_range into a file,
// raw syscalls, paths relative to a directory fd, a second process) is a finding, never a pass.
import { DurableState } from './durable-state.js';
import type { TraceEvent } from './parse-fs-trace.js';

export interface ExpectedAck {
  /** The x-oss-request-id of the 2xx answer the client received. */
  readonly requestId: string;
  /** For messages: "PutObject a/1", "UploadPart 2 of a/3". */
  readonly label: string;
  /** Absolute path of the file holding the acknowledged bytes (blob or part); none for index-only acks. */
  readonly path?: string;
  /** Bytes the client sent in it. */
  readonly bytes?: number;
}

export interface AuditSpec {
  /** The data directory (absolute); it is taken as durable itself. */
  readonly root: string;
  /** Its `dev:ino`, as the shim prints it. */
  readonly rootIno: string;
  /** The SQLite index; `-wal` and `-journal` beside it belong to it. */
  readonly indexPath: string;
  readonly acks: readonly ExpectedAck[];
}

export type FindingKind =
  | 'ack-missing'
  | 'not-published'
  | 'data-not-durable'
  | 'bytes-unseen'
  | 'entry-not-durable'
  | 'index-not-written'
  | 'index-not-durable'
  | 'blind';

export interface Finding {
  readonly kind: FindingKind;
  readonly label: string;
  /** The cut (trace seq) at which it was found; 0 for the whole trace. */
  readonly seq: number;
  readonly detail: string;
}

export interface DurabilityReport {
  readonly findings: Finding[];
  /** Acknowledgements found in the trace (each one a cut). */
  readonly cuts: number;
  /** Object × cut checks made. */
  readonly objectChecks: number;
  readonly events: number;
}

interface Acked {
  readonly ack: ExpectedAck;
  readonly seq: number;
}

class Audit {
  readonly state: DurableState;
  readonly findings = new Map<string, Finding>();
  readonly publishedAt = new Map<string, number>();
  readonly indexPaths: readonly string[];
  lastIndexWrite = 0;
  objectChecks = 0;

  constructor(readonly spec: AuditSpec) {
    this.state = new DurableState(spec.root, spec.rootIno);
    this.indexPaths = ['', '-wal', '-journal'].map((suffix) => `${spec.indexPath}${suffix}`);
  }

  report(kind: FindingKind, label: string, seq: number, detail: string): void {
    const id = `${kind} ${label}`;
    if (!this.findings.has(id)) this.findings.set(id, { kind, label, seq, detail });
  }

  observe(event: TraceEvent): void {
    this.state.apply(event);
    if (event.op === 'rename' || event.op === 'link') this.publishedAt.set(event.path2, event.seq);
    if (event.op === 'open' && event.created) this.publishedAt.set(event.path, event.seq);
    if ((event.op === 'write' || event.op === 'truncate') && this.isIndexIno(event.ino)) {
      this.lastIndexWrite = event.seq;
    }
  }

  isIndexIno(ino: string): boolean {
    return this.indexPaths.some((path) => this.state.volatile.get(path) === ino);
  }

  /** Everything acknowledged before (and at) this cut must be in the durable state. */
  checkCut(seq: number, acked: readonly Acked[], newest: Acked | undefined): void {
    this.checkIndex(seq, newest?.ack.label ?? 'index at shutdown');
    for (const { ack } of acked) this.checkFile(ack, seq, ack === newest?.ack);
    if (
      newest?.ack.path !== undefined &&
      (this.publishedAt.get(newest.ack.path) ?? 0) >= this.lastIndexWrite
    ) {
      this.report('index-not-written', newest.ack.label, seq, 'no index write after its file was published');
    }
  }

  /** `own`: this is the ack's own cut (the byte count is compared there; later writes are data changes). */
  checkFile(ack: ExpectedAck, seq: number, own: boolean): void {
    if (ack.path === undefined) return;
    this.objectChecks += 1;
    const ino = this.state.volatile.get(ack.path);
    const file = ino === undefined ? undefined : this.state.file(ino);
    if (file === undefined) {
      this.report('not-published', ack.label, seq, `${ack.path} is not there (or was never seen created)`);
      return;
    }
    if (file.poisoned || file.durableWrites < file.writes) {
      const detail = file.poisoned
        ? `an fsync of ${ack.path} failed`
        : `${file.writes - file.durableWrites} of ${file.writes} writes to ${ack.path} are not covered by a completed fsync that began after them`;
      this.report('data-not-durable', ack.label, seq, detail);
    }
    if (own && ack.bytes !== undefined && file.bytes !== ack.bytes) {
      this.report(
        'bytes-unseen',
        ack.label,
        seq,
        `the trace saw ${file.bytes} bytes written to ${ack.path}, the client sent ${ack.bytes}`,
      );
    }
    const issue = this.state.entryIssue(ack.path);
    if (issue !== undefined) this.report('entry-not-durable', ack.label, seq, issue);
  }

  checkIndex(seq: number, label: string): void {
    const present = this.indexPaths.filter((path) => this.state.volatile.has(path));
    if (!present.includes(this.spec.indexPath)) {
      this.report('index-not-durable', label, seq, `${this.spec.indexPath} does not exist`);
    }
    for (const path of present) {
      const file = this.state.file(this.state.volatile.get(path)!);
      if (file === undefined || file.poisoned || file.durableWrites < file.writes) {
        const pending = file === undefined ? 'unknown' : `${file.writes - file.durableWrites}`;
        this.report(
          'index-not-durable',
          label,
          seq,
          `${path}: ${pending} writes not covered by a completed fsync`,
        );
      }
      const issue = this.state.entryIssue(path);
      if (issue !== undefined) this.report('entry-not-durable', `${label} (index)`, seq, issue);
    }
  }
}

function blindFindings(events: readonly TraceEvent[], audit: Audit): void {
  const pid = events[0]?.pid;
  for (const event of events) {
    if (event.pid !== pid && event.op !== 'ignored') {
      audit.report('blind', `process ${event.pid}`, event.seq, 'a second process wrote to the trace');
    }
    if (event.op === 'blind')
      audit.report('blind', event.what, event.seq, `${event.what} (ino ${event.ino})`);
  }
  for (const event of audit.state.unplaceable) {
    audit.report(
      'blind',
      `${event.op} ${'path' in event ? event.path : ''}`,
      event.seq,
      'path relative to a directory fd',
    );
  }
}

/** Replays the trace and reports every acknowledged object a power cut could lose. Pure. */
export function checkDurability(events: readonly TraceEvent[], spec: AuditSpec): DurabilityReport {
  const audit = new Audit(spec);
  const expected = new Map(spec.acks.map((ack) => [ack.requestId, ack]));
  const acked: Acked[] = [];
  const pid = events[0]?.pid;
  for (const event of events) {
    if (event.pid !== pid) continue; // reported as a blind spot below, never replayed
    audit.observe(event);
    if (event.op !== 'http' || event.status < 200 || event.status > 299) continue;
    const ack = expected.get(event.requestId);
    if (ack === undefined) continue;
    expected.delete(event.requestId);
    const newest = { ack, seq: event.seq };
    acked.push(newest);
    audit.checkCut(event.seq, acked, newest);
  }
  audit.checkCut((events.at(-1)?.seq ?? 0) + 1, acked, undefined);
  blindFindings(events, audit);
  for (const ack of expected.values()) {
    audit.report('ack-missing', ack.label, 0, `no 2xx answer with request id ${ack.requestId} in the trace`);
  }
  return {
    findings: [...audit.findings.values()],
    cuts: acked.length,
    objectChecks: audit.objectChecks,
    events: events.length,
  };
}
