// Hand-written fs traces for the checker's tests, in the shim's own line format (so the parser is
// exercised too). `putObjectTrace` is the commit order fs-pending-write.ts follows for one PutObject
// into a fresh data directory `/d`; its options drop or move one step to make a known-broken order.

export const root = '/d';
export const rootIno = '1:1';
const ino = { index: '1:2', wal: '1:3', tmp: '1:10', blobs: '1:11', shard: '1:12', file: '1:20' } as const;
export const blobPath = '/d/blobs/ab/abc';

export class TraceWriter {
  readonly #lines: string[] = [];
  #seq = 0;

  constructor(readonly pid = 100) {}

  /** One line: `seq pid tid op` then the tokens as the shim writes them (`key=value`, or a `before_` mark). */
  line(tid: number, op: string, tokens: readonly string[]): this {
    this.#seq += 1;
    this.#lines.push([this.#seq, this.pid, tid, op, ...tokens].join('\t'));
    return this;
  }

  create(path: string, fileIno: string, tid = 1): this {
    const tokens = [
      'dirfd=-100',
      `path=${path}`,
      'flags=577',
      'created=1',
      'fd=9',
      `ino=${fileIno}`,
      'type=reg',
    ];
    return this.line(tid, 'open', tokens);
  }

  mkdir(path: string, dirIno: string, tid = 1): this {
    return this.line(tid, 'mkdir', ['dirfd=-100', `path=${path}`, 'after_', `ino=${dirIno}`, 'type=dir']);
  }

  write(fileIno: string, bytes: number, tid = 1): this {
    return this.line(tid, 'write', ['fd=9', `ino=${fileIno}`, 'type=reg', 'off=-1', `bytes=${bytes}`]);
  }

  syncBegin(target: string, type: 'reg' | 'dir', tid = 1): this {
    return this.line(tid, 'fsync_begin', ['kind=fsync', 'fd=9', `ino=${target}`, `type=${type}`]);
  }

  syncEnd(target: string, type: 'reg' | 'dir', tid = 1, ret = 0): this {
    return this.line(tid, 'fsync_end', ['kind=fsync', 'fd=9', `ino=${target}`, `type=${type}`, `ret=${ret}`]);
  }

  sync(target: string, type: 'reg' | 'dir', tid = 1): this {
    return this.syncBegin(target, type, tid).syncEnd(target, type, tid);
  }

  rename(from: string, to: string, fileIno: string, tid = 1): this {
    const names = ['dirfd=-100', `path=${from}`, 'dirfd2=-100', `path2=${to}`];
    return this.line(tid, 'rename', [
      ...names,
      'before_',
      'ino=?',
      'type=none',
      'after_',
      `ino=${fileIno}`,
      'type=reg',
    ]);
  }

  http(requestId: string, status = 200): this {
    return this.line(1, 'http', ['fd=30', `status=${status}`, `request_id=${requestId}`]);
  }

  text(): string {
    return `${this.#lines.join('\n')}\n`;
  }
}

export type Step = 'data-fsync' | 'shard-fsync' | 'blobs-fsync' | 'index-write' | 'index-fsync';

export interface PutTraceOptions {
  /** Leave this step out. */
  readonly omit?: Step;
  /** The blob's fsync begins before its last write completes (another thread finishes the write). */
  readonly fsyncRacesWrite?: boolean;
  /** The shard directory's fsync begins before the rename completes. */
  readonly dirFsyncRacesRename?: boolean;
  /** The index transaction is written before the blob is renamed into place. */
  readonly indexBeforeRename?: boolean;
  /** The blob's fsync reports an error (then a retry succeeds). */
  readonly fsyncFails?: boolean;
}

/** A server start (index + top directories, root fsynced by SQLite) and one PutObject acknowledged as R1. */
export function putObjectTrace(options: PutTraceOptions = {}, trace = new TraceWriter()): TraceWriter {
  const skip = (step: Step): boolean => options.omit === step;
  trace.create('/d/index.sqlite', ino.index).write(ino.index, 4096).sync(ino.index, 'reg');
  trace.mkdir('/d/tmp', ino.tmp).mkdir('/d/blobs', ino.blobs);
  trace.create('/d/index.sqlite-wal', ino.wal).write(ino.wal, 32).sync(ino.wal, 'reg').sync(rootIno, 'dir');
  trace.create('/d/tmp/abc', ino.file).write(ino.file, 65536);
  if (options.fsyncRacesWrite === true)
    trace.syncBegin(ino.file, 'reg', 2).write(ino.file, 34464).syncEnd(ino.file, 'reg', 2);
  else trace.write(ino.file, 34464);
  if (options.fsyncFails === true) trace.syncBegin(ino.file, 'reg').syncEnd(ino.file, 'reg', 1, 5);
  if (!skip('data-fsync')) trace.sync(ino.file, 'reg');
  trace.mkdir('/d/blobs/ab', ino.shard);
  if (!skip('blobs-fsync')) trace.sync(ino.blobs, 'dir');
  if (options.indexBeforeRename === true) trace.write(ino.wal, 4120).sync(ino.wal, 'reg');
  if (options.dirFsyncRacesRename === true) {
    trace
      .syncBegin(ino.shard, 'dir', 3)
      .rename('/d/tmp/abc', blobPath, ino.file)
      .syncEnd(ino.shard, 'dir', 3);
  } else {
    trace.rename('/d/tmp/abc', blobPath, ino.file);
    if (!skip('shard-fsync')) trace.sync(ino.shard, 'dir');
  }
  if (options.indexBeforeRename !== true && !skip('index-write')) trace.write(ino.wal, 4120);
  if (options.indexBeforeRename !== true && !skip('index-fsync')) trace.sync(ino.wal, 'reg');
  return trace.http('R1');
}

export const blobFileIno = ino.file;
export const walIno = ino.wal;
