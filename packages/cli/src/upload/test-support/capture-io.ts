// In-memory stdout/stderr for runUploadCli: plain sinks (the CLI is what is under test). `tty` makes
// stderr claim to be a terminal, so the CLI redraws progress in place.
import { Writable } from 'node:stream';
import type { UploadCliIo } from '../run-upload-cli.js';

class CaptureStream extends Writable {
  text = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns: number,
  ) {
    super();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString('utf8');
    callback();
  }
}

export interface CapturedIo {
  readonly io: UploadCliIo;
  stdout(): string;
  stderr(): string;
}

export function captureIo(
  options: { tty?: boolean; env?: Record<string, string>; signal?: AbortSignal; now?: () => number } = {},
): CapturedIo {
  const stdout = new CaptureStream(false, 80);
  const stderr = new CaptureStream(options.tty ?? false, 100);
  return {
    io: {
      stdout,
      stderr,
      env: options.env ?? {},
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.now ? { now: options.now } : {}),
      retry: { baseDelayMs: 5, random: () => 0 }, // quick, deterministic backoff
    },
    stdout: () => stdout.text,
    stderr: () => stderr.text,
  };
}
