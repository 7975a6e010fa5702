// What would survive a power cut, replayed event by event from an fs trace (parse-fs-trace.ts), in the
// strict model POSIX promises and nothing more (the ALICE "abstract persistence model" without its
// optional reorderings, Pillai et al., OSDI'14):
//   - a file's bytes survive only if every write (and truncate) to it completed before an fsync or
//     fdatasync of that file BEGAN, and that fsync ENDED successfully before the cut. A failed fsync
//     poisons the file: after fsyncgate (PostgreSQL 2018) a later success proves nothing for earlier data;
//   - a directory entry (create, mkdir, rename-in, link, unlink, rename-out) survives only if it completed
//     before an fsync of THAT directory began, and that fsync ended before the cut. ext4's habit of
//     committing a rename with the next journal transaction is not relied on;
//   - everything else is lost. Nothing un-fsynced is assumed to survive, and the model never lets an
//     un-fsynced operation destroy durable state (it checks presence, not the absence of stale state).
// Only paths under `root` are modelled; the root itself is taken as durable (the operator created it).
import { dirname } from 'node:path';
import type { TraceEvent } from './parse-fs-trace.js';

export interface FileState {
  /** Data-changing calls seen (write, truncate, fallocate). */
  writes: number;
  /** How many of them a completed fsync covers. */
  durableWrites: number;
  /** Bytes the writes reported (to prove the trace saw the data at all). */
  bytes: number;
  /** A fsync of this file failed: nothing written before it can be trusted to survive. */
  poisoned: boolean;
}

interface DirState {
  /** Entry changes in completion order: name → inode, or undefined for a removal. */
  readonly ops: Array<readonly [string, string | undefined]>;
  /** How many of `ops` a completed fsync of this directory covers (applied to `durable`). */
  durableOps: number;
  /** The entries that would be found after a power cut now. */
  readonly durable: Map<string, string>;
}

const newFile = (): FileState => ({ writes: 0, durableWrites: 0, bytes: 0, poisoned: false });
const newDir = (): DirState => ({ ops: [], durableOps: 0, durable: new Map() });
const nameOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

export class DurableState {
  readonly root: string;
  /** path → inode as the running process sees it, for paths under root. */
  readonly volatile = new Map<string, string>();
  /** Namespace changes whose path the trace could not place (relative to a directory fd). */
  readonly unplaceable: TraceEvent[] = [];
  readonly #files = new Map<string, FileState>();
  readonly #dirs = new Map<string, DirState>();
  readonly #dirPathByIno = new Map<string, string>();
  /** `tid ino` → how many writes/ops existed when that thread's fsync of the inode began. */
  readonly #syncing = new Map<string, number>();

  constructor(root: string, rootIno: string) {
    this.root = root;
    this.#dirs.set(root, newDir());
    this.#dirPathByIno.set(rootIno, root);
    this.volatile.set(root, rootIno);
  }

  file(ino: string): FileState | undefined {
    return this.#files.get(ino);
  }

  isUnder(path: string): boolean {
    return path.startsWith(`${this.root}/`);
  }

  apply(event: TraceEvent): void {
    switch (event.op) {
      case 'open':
        return this.#open(event);
      case 'mkdir':
        if (!this.#place(event)) return;
        this.#dirs.set(event.path, newDir());
        this.#dirPathByIno.set(event.ino, event.path);
        return this.#entry(event.path, event.ino);
      case 'rename':
        if (!this.#place(event)) return;
        if (this.isUnder(event.path)) this.#entry(event.path, undefined);
        if (this.isUnder(event.path2)) this.#entry(event.path2, event.ino);
        return;
      case 'link':
        if (this.#place(event) && this.isUnder(event.path2)) this.#entry(event.path2, event.ino);
        return;
      case 'unlink':
        if (!this.#place(event) || !this.isUnder(event.path)) return;
        this.#dirs.delete(event.path);
        return this.#entry(event.path, undefined);
      case 'write':
      case 'truncate':
        return this.#write(event.ino, event.op === 'write' ? event.bytes : 0);
      case 'fsync_begin':
        return this.#syncBegin(`${event.tid} ${event.ino}`, event.ino);
      case 'fsync_end':
        return this.#syncEnd(`${event.tid} ${event.ino}`, event.ino, event.ok);
      default:
        return;
    }
  }

  /** Why `path` would not be found, with its current inode, after a power cut now; undefined if it would. */
  entryIssue(path: string): string | undefined {
    if (!this.isUnder(path)) return `${path} is outside the audited root`;
    let parent = this.root;
    for (const name of path.slice(this.root.length + 1).split('/')) {
      const child = `${parent}/${name}`;
      const ino = this.volatile.get(child);
      if (ino === undefined) return `${child} does not exist`;
      const durable = this.#dirs.get(parent)?.durable.get(name);
      if (durable !== ino) {
        return `the entry ${child} is not durable: no fsync of ${parent} began after it was made and ended before this point`;
      }
      parent = child;
    }
    return undefined;
  }

  #place(event: TraceEvent & { path: string }): boolean {
    const paths = 'path2' in event ? [event.path, event.path2] : [event.path];
    if (paths.every((path) => path.startsWith('/'))) return true;
    this.unplaceable.push(event);
    return false;
  }

  #open(event: TraceEvent & { op: 'open' }): void {
    const { path, ino, type, created } = event;
    if (!path.startsWith('/')) {
      if (created) this.unplaceable.push(event);
      return;
    }
    if (!this.isUnder(path) && path !== this.root) return;
    if (type === 'dir') {
      this.#dirPathByIno.set(ino, path);
      if (!this.#dirs.has(path)) this.#dirs.set(path, newDir());
    }
    if (created) {
      this.#files.set(ino, newFile());
      this.#entry(path, ino);
    } else if (!this.volatile.has(path)) {
      // There before the trace began: taken as durable (the audit starts from a settled directory).
      this.volatile.set(path, ino);
      this.#dirs.get(dirname(path))?.durable.set(nameOf(path), ino);
      if (type === 'reg' && !this.#files.has(ino)) this.#files.set(ino, newFile());
    }
  }

  #entry(path: string, ino: string | undefined): void {
    if (ino === undefined) this.volatile.delete(path);
    else this.volatile.set(path, ino);
    const parent = dirname(path);
    let dir = this.#dirs.get(parent);
    if (dir === undefined) {
      dir = newDir();
      this.#dirs.set(parent, dir);
    }
    dir.ops.push([nameOf(path), ino]);
  }

  #write(ino: string, bytes: number): void {
    const file = this.#files.get(ino);
    if (file === undefined) return;
    file.writes += 1;
    file.bytes += bytes;
  }

  #syncBegin(key: string, ino: string): void {
    const dirPath = this.#dirPathByIno.get(ino);
    if (dirPath !== undefined) this.#syncing.set(key, this.#dirs.get(dirPath)?.ops.length ?? 0);
    else if (this.#files.has(ino)) this.#syncing.set(key, this.#files.get(ino)?.writes ?? 0);
  }

  #syncEnd(key: string, ino: string, ok: boolean): void {
    const covered = this.#syncing.get(key);
    this.#syncing.delete(key);
    if (covered === undefined) return;
    const dirPath = this.#dirPathByIno.get(ino);
    const dir = dirPath === undefined ? undefined : this.#dirs.get(dirPath);
    if (dir !== undefined) {
      if (!ok) return;
      for (; dir.durableOps < covered; dir.durableOps += 1) {
        const [name, child] = dir.ops[dir.durableOps]!;
        if (child === undefined) dir.durable.delete(name);
        else dir.durable.set(name, child);
      }
      return;
    }
    const file = this.#files.get(ino);
    if (file === undefined) return;
    if (!ok) file.poisoned = true;
    else file.durableWrites = Math.max(file.durableWrites, covered);
  }
}
