// Byte-level edits of a serialised PostObject form (flip, insert, delete, truncate; threats §C3.27–C3.30),
// reporting whether one landed on a signed value before the file — the oracle's "nothing may be stored".
import fc from 'fast-check';
import { serialiseForm, type FuzzForm } from './fuzz-form.js';

export type ByteEdit =
  | { readonly kind: 'flip'; readonly at: number; readonly xor: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: Buffer }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'truncate'; readonly at: number };

export const byteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 16 }).map((b) => Buffer.from(b)),
      fc.constantFrom('\r\n', '--', '\r\n--', '"', '\u0000').map((t) => Buffer.from(t)),
    ),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

export interface SentBody {
  readonly body: Buffer;
  /** Whether a byte edit landed on a signed value before the file (or the framing right around it). */
  readonly touchedAuth: boolean;
}

/** Serialises the form and applies the byte edits in order (each position modulo the current length). */
export function buildSentBody(form: FuzzForm, edits: readonly ByteEdit[]): SentBody {
  const { body: serialised, authRanges } = serialiseForm(form);
  // A signed value, the blank line before it and the CRLF + delimiter after it: a byte edited, inserted or
  // deleted inside this window changes the value busboy reports (or drops it): such a request must never
  // store. Windows are [start, end).
  const guard = form.boundary.length + 4;
  let windows = authRanges.map(([start, end]) => [start - 4, end + guard] as [number, number]);
  let body = serialised;
  let touchedAuth = false;
  const overlaps = (from: number, to: number): boolean => windows.some(([s, e]) => from < e && to > s);
  const inside = (i: number): boolean => windows.some(([s, e]) => i > s && i < e);
  const shift = (from: number, delta: number): void => {
    windows = windows.map(([s, e]) => [s >= from ? s + delta : s, e >= from ? e + delta : e]);
  };
  for (const edit of edits) {
    const i = edit.at % (body.length + 1);
    if (edit.kind === 'flip') {
      if (body.length === 0) continue;
      const j = edit.at % body.length;
      touchedAuth ||= overlaps(j, j + 1);
      body = Buffer.from(body);
      body[j] = body[j]! ^ edit.xor;
    } else if (edit.kind === 'insert') {
      touchedAuth ||= inside(i);
      body = Buffer.concat([body.subarray(0, i), edit.bytes, body.subarray(i)]);
      shift(i, edit.bytes.length);
    } else if (edit.kind === 'delete') {
      const removed = Math.min(edit.length, body.length - i);
      touchedAuth ||= overlaps(i, i + removed);
      body = Buffer.concat([body.subarray(0, i), body.subarray(i + removed)]);
      shift(i + removed, -removed);
    } else {
      touchedAuth ||= overlaps(i, Number.MAX_SAFE_INTEGER);
      body = body.subarray(0, i);
    }
  }
  return { body, touchedAuth };
}
