// How one file's UploadResult is printed: a short human block, or one JSON line for scripts. The
// distinction the browser client makes is kept: a 203 means the object IS stored and only the app's
// callback failed (oss-protocol §9.6), so it gets its own wording and exit status, never "failed".
import type { UploadResult } from '@upcall/client';

/** The word shown at the end of a file's progress line. */
export function renderStatusWord(result: UploadResult): string {
  switch (result.status) {
    case 'confirmed':
      return 'done';
    case 'stored-unconfirmed':
      return 'stored, callback failed';
    default:
      return result.status;
  }
}

function describeIds(parts: ReadonlyArray<readonly [string, string | number | undefined]>): string {
  const present = parts.filter(([, value]) => value !== undefined).map(([name, value]) => `${name} ${value}`);
  return present.length === 0 ? '' : ` (${present.join(', ')})`;
}

function indent(text: string): string {
  return text.replace(/^/gm, '  ');
}

/** The callback reply relayed by storage: JSON pretty-printed, text as it came. */
function renderReply(body: unknown): string {
  if (body === undefined) return '  (no callback reply)\n';
  return `${indent(typeof body === 'string' ? body : JSON.stringify(body, null, 2))}\n`;
}

/** A few lines for `file`: status, key and ids, then the callback JSON or the error. */
export function renderResultText(file: string, result: UploadResult): string {
  switch (result.status) {
    case 'confirmed':
      return `${file}: confirmed${describeIds([['key', result.key]])}\n${renderReply(result.body)}`;
    case 'stored-unconfirmed':
      return (
        `${file}: stored, callback failed` +
        `${describeIds([
          ['key', result.key],
          ['request id', result.requestId],
          ['upload id', result.uploadId],
        ])}\n` +
        `  ${result.code}: ${result.message}\n`
      );
    case 'rejected':
      return (
        `${file}: rejected ${result.code}: ${result.message}` +
        `${describeIds([
          ['HTTP', result.httpStatus],
          ['request id', result.requestId],
          ['EC', result.ec],
        ])}\n`
      );
    case 'failed':
      return `${file}: failed (${result.reason}): ${result.error.message}\n`;
    case 'aborted':
      return `${file}: aborted\n`;
  }
}

/** Errors do not survive JSON.stringify; keep what a script can act on. */
function describeError(error: Error): Record<string, unknown> {
  const { httpStatus, code } = error as Error & { httpStatus?: number; code?: string };
  return { name: error.name, message: error.message, httpStatus, code };
}

/** One line: `{"file":…,"status":…,…}` with every field of the result. */
export function renderResultJson(file: string, result: UploadResult): string {
  const record = result.status === 'failed' ? { ...result, error: describeError(result.error) } : result;
  return `${JSON.stringify({ file, ...record })}\n`;
}

/**
 * 130 interrupted (128 + SIGINT, as shells report it); 1 when any file was rejected or failed; 3 when
 * any is stored without confirmation; 0 when every file is confirmed.
 */
export function computeExitCode(results: readonly UploadResult[], interrupted: boolean): number {
  if (interrupted || results.some((result) => result.status === 'aborted')) return 130;
  if (results.some((result) => result.status === 'rejected' || result.status === 'failed')) return 1;
  if (results.some((result) => result.status === 'stored-unconfirmed')) return 3;
  return 0;
}
