// Single byte-range GET (RFC 9110 §14; OSS GetObject): `bytes=a-b`, `bytes=a-`, `bytes=-n`. OSS ignores a
// Range it cannot parse (multiple ranges, bad syntax, first > last) and returns the whole object with 200;
// a syntactically valid range that starts beyond the object is 416 InvalidRange.
import { OssError } from '@upcall/protocol';

export interface ByteRange {
  /** Inclusive offsets, already within the object. */
  readonly start: number;
  readonly end: number;
}

function unsatisfiable(header: string, size: number): OssError {
  return new OssError('InvalidRange', {
    extra: [
      ['RangeRequested', header],
      ['ActualObjectSize', String(size)],
    ],
  });
}

/** Returns the range to serve, or undefined for the whole object; throws InvalidRange (416). */
export function parseRangeHeader(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*bytes\s*=\s*(\d{0,18})\s*-\s*(\d{0,18})\s*$/i.exec(header);
  if (match === null) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) throw unsatisfiable(header, size);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Number(last);
  if (last !== '' && start > end) return undefined;
  if (start >= size) throw unsatisfiable(header, size);
  return { start, end: Math.min(end, size - 1) };
}
