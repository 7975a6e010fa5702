// Reads the trace fs-trace-shim.c writes: one tab-separated line per libc call, `seq pid tid op
// key=value…`, in seq order (the shim takes the number and writes the line under one lock). Paths are
// percent-encoded by the shim; files are named by `dev:ino`. Lines from other processes (a child the
// server spawned would inherit LD_PRELOAD) are kept with their pid so the checker can refuse them.

export type FileType = 'reg' | 'dir' | 'sock' | 'fifo' | 'other' | 'none';

interface Base {
  readonly seq: number;
  readonly pid: number;
  readonly tid: number;
}

export type TraceEvent = Base &
  (
    | {
        readonly op: 'open';
        readonly path: string;
        readonly created: boolean;
        readonly ino: string;
        readonly type: FileType;
      }
    | { readonly op: 'write'; readonly ino: string; readonly type: FileType; readonly bytes: number }
    | { readonly op: 'truncate'; readonly ino: string }
    | { readonly op: 'fsync_begin'; readonly ino: string; readonly type: FileType; readonly kind: string }
    | { readonly op: 'fsync_end'; readonly ino: string; readonly type: FileType; readonly ok: boolean }
    | { readonly op: 'rename' | 'link'; readonly path: string; readonly path2: string; readonly ino: string }
    | { readonly op: 'unlink'; readonly path: string; readonly ino: string }
    | { readonly op: 'mkdir'; readonly path: string; readonly ino: string }
    | { readonly op: 'http'; readonly status: number; readonly requestId: string }
    | { readonly op: 'blind'; readonly what: string; readonly ino: string }
    | { readonly op: 'ignored'; readonly name: string }
  );

/** `after_`/`before_` prefixes name the lstat taken around a path call; the inode is what matters. */
function fieldsOf(parts: readonly string[]): Map<string, string> {
  const fields = new Map<string, string>();
  let prefix = '';
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq < 0) {
      if (part.endsWith('_')) prefix = part;
      continue;
    }
    const name = part.slice(0, eq);
    const value = part.slice(eq + 1);
    fields.set(`${prefix}${name}`, value);
    if (name !== 'ino') prefix = '';
  }
  return fields;
}

function need(fields: Map<string, string>, name: string, line: string): string {
  const value = fields.get(name);
  if (value === undefined) throw new Error(`fs trace: no ${name} in line: ${line}`);
  return value;
}

/**
 * An absolute path as the process named it. A path relative to a directory fd (or to the working
 * directory) cannot be placed from the trace alone: it is returned as `<dirfd N>/name`, which the checker
 * treats as unplaceable rather than guess.
 */
function pathOf(fields: Map<string, string>, dirfdName: string, pathName: string, line: string): string {
  const path = decodeURIComponent(need(fields, pathName, line));
  if (path.startsWith('/')) return path;
  return `<dirfd ${fields.get(dirfdName) ?? '?'}>/${path}`;
}

/** One line → one event; throws on a line it cannot read (a truncated trace must not pass quietly). */
export function parseTraceLine(line: string): TraceEvent {
  const [seqText, pidText, tidText, op, ...rest] = line.split('\t');
  if (op === undefined) throw new Error(`fs trace: short line: ${line}`);
  const base = { seq: Number(seqText), pid: Number(pidText), tid: Number(tidText) };
  if (!Number.isSafeInteger(base.seq) || base.seq <= 0) throw new Error(`fs trace: bad seq: ${line}`);
  const f = fieldsOf(rest);
  const get = (name: string): string => need(f, name, line);
  const type = (name = 'type'): FileType => (f.get(name) ?? 'none') as FileType;
  switch (op) {
    case 'open':
      return {
        ...base,
        op,
        path: pathOf(f, 'dirfd', 'path', line),
        created: get('created') === '1',
        ino: get('ino'),
        type: type(),
      };
    case 'write':
      return { ...base, op, ino: get('ino'), type: type(), bytes: Number(get('bytes')) };
    case 'truncate':
    case 'allocate':
      return { ...base, op: 'truncate', ino: f.get('ino') ?? get('after_ino') };
    case 'fsync_begin':
      return { ...base, op, ino: get('ino'), type: type(), kind: get('kind') };
    case 'fsync_end':
      return { ...base, op, ino: get('ino'), type: type(), ok: get('ret') === '0' };
    case 'rename':
    case 'link':
      return {
        ...base,
        op,
        path: pathOf(f, 'dirfd', 'path', line),
        path2: pathOf(f, 'dirfd2', 'path2', line),
        ino: get('after_ino'),
      };
    case 'blind_rename':
      return { ...base, op: 'blind', what: `renameat2 with flags ${get('path')}`, ino: '?' };
    case 'unlink':
      return { ...base, op, path: pathOf(f, 'dirfd', 'path', line), ino: get('before_ino') };
    case 'mkdir':
      return { ...base, op, path: pathOf(f, 'dirfd', 'path', line), ino: get('after_ino') };
    case 'http':
      return { ...base, op, status: Number(get('status')), requestId: f.get('request_id') ?? '' };
    case 'blind':
      return { ...base, op, what: get('what'), ino: f.get('ino') ?? '?' };
    default:
      // sync_file_range (never durable) and anything newer the shim may log: kept, but changes nothing.
      return { ...base, op: 'ignored', name: op };
  }
}

/** The whole trace, sorted by seq (the file is in seq order already; sorting makes that a non-issue). */
export function parseFsTrace(text: string): TraceEvent[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map(parseTraceLine)
    .sort((a, b) => a.seq - b.seq);
}
