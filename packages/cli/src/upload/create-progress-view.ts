// Progress on stderr. On a terminal: one line per started file, redrawn in place (cursor up, clear
// line) at most every `redrawMs`; lines of finished files above the first unfinished one are left
// behind as they are, so the block being redrawn stays about as tall as the concurrency. Elsewhere
// (pipes, CI logs): plain lines, at most one per file every `logIntervalMs`, plus the line for 100 %.
import type { UploadProgress } from '@upcall/client';
import { computeNameWidth, renderProgressBarLine, renderProgressLogLine } from './render-progress-line.js';

export interface ProgressViewOptions {
  /** What each file is called, by index. */
  readonly names: readonly string[];
  readonly stream: NodeJS.WritableStream;
  /** Redraw in place (stderr is a TTY) or print log lines. */
  readonly tty: boolean;
  /** Terminal width (TTY only; default 80). */
  readonly columns?: number;
  readonly now: () => number;
  /** Default 100 ms. */
  readonly redrawMs?: number;
  /** Default 2000 ms. */
  readonly logIntervalMs?: number;
}

export interface ProgressView {
  /** `index` is the file's position in `names`. */
  update(index: number, progress: UploadProgress): void;
  /** The file is done; `status` is the short word shown at the end of its line (TTY). */
  finish(index: number, progress: UploadProgress, status: string): void;
  /** Draws whatever is pending. */
  close(): void;
}

interface Row {
  readonly index: number;
  text: string;
  done: boolean;
}

function createTtyView(options: ProgressViewOptions): ProgressView {
  const columns = options.columns ?? 80;
  const layout = { columns, nameWidth: computeNameWidth(options.names, columns) };
  const nameOf = (index: number): string => options.names[index] ?? String(index);
  const redrawMs = options.redrawMs ?? 100;
  const live: Row[] = [];
  let drawnLines = 0;
  let lastDrawMs = -Infinity;
  let pending = false;
  const rowFor = (index: number): Row => {
    const found = live.find((row) => row.index === index);
    if (found) return found;
    const row = { index, text: '', done: false };
    live.push(row);
    return row;
  };
  const draw = (): void => {
    const up = drawnLines > 0 ? `\r\x1b[${drawnLines}A` : '';
    options.stream.write(up + live.map((row) => `\x1b[2K${row.text}\n`).join(''));
    while (live[0]?.done) live.shift(); // final and drawn: never redrawn again
    drawnLines = live.length;
    lastDrawMs = options.now();
    pending = false;
  };
  return {
    update(index, progress) {
      rowFor(index).text = renderProgressBarLine(nameOf(index), progress, layout);
      pending = true;
      if (options.now() - lastDrawMs >= redrawMs) draw();
    },
    finish(index, progress, status) {
      const row = rowFor(index);
      row.text = renderProgressBarLine(nameOf(index), progress, layout, status);
      row.done = true;
      draw();
    },
    close: () => void (pending && draw()),
  };
}

function createLogView(options: ProgressViewOptions): ProgressView {
  const intervalMs = options.logIntervalMs ?? 2000;
  const state = new Map<number, { printedMs: number; attempt: number; complete: boolean }>();
  return {
    update(index, progress) {
      const name = options.names[index] ?? String(index);
      const seen = state.get(index) ?? { printedMs: -Infinity, attempt: progress.attempt, complete: false };
      state.set(index, seen);
      const complete = progress.loaded === progress.total;
      const due =
        (complete && !seen.complete) ||
        progress.attempt !== seen.attempt ||
        options.now() - seen.printedMs >= intervalMs;
      if (!due) return;
      options.stream.write(`${renderProgressLogLine(name, progress)}\n`);
      Object.assign(seen, { printedMs: options.now(), attempt: progress.attempt, complete });
    },
    finish: () => undefined, // the summary on stdout says how each file ended
    close: () => undefined,
  };
}

const silentView: ProgressView = { update: () => undefined, finish: () => undefined, close: () => undefined };

export function createProgressView(
  options: ProgressViewOptions & { readonly quiet?: boolean },
): ProgressView {
  if (options.quiet === true) return silentView;
  return options.tty ? createTtyView(options) : createLogView(options);
}
