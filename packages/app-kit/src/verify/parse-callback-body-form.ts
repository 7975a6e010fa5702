// Form callback bodies (application/x-www-form-urlencoded, §8.1): OSS percent-encodes values (§8.5) and
// space may arrive as `+` or `%20`, so both decode. Pairs split at `&` (empty ones skipped), name and
// value at the first `=`; each part decodes exactly as decodeURIComponent(part with `+` as space) would,
// and a part it would refuse refuses the body. A repeated name refuses the body (threats §B12).
// One pass over the text, no intermediate arrays: this runs for every callback (scenario 4).
import { CallbackVerificationError } from './callback-verification-error.js';
import { CallbackBodyFields, defineMember, setCallbackBodyField } from './parse-callback-body-fields.js';

function badRequest(message: string): never {
  throw new CallbackVerificationError('bad-request', message);
}

/**
 * Where the next `=`, `%` and `+` are, each found with one indexOf (native, several times cheaper
 * here than a per-character loop) and looked up again only once the scan has passed it.
 */
class FormCursor {
  equals = -1;
  percent = -1;
  plus = -1;
  constructor(readonly text: string) {}

  /** The first `=` at or after `start`, or -1; `start` only grows. */
  nextEquals(start: number): number {
    if (this.equals !== -1 && this.equals < start) this.equals = this.text.indexOf('=', start);
    return this.equals;
  }

  /**
   * text[start, end) decoded: sliced as is without `%` or `+`, else as decodeFormPart does it; `start`
   * only grows.
   */
  readPart(start: number, end: number): string {
    if (this.percent !== -1 && this.percent < start) this.percent = this.text.indexOf('%', start);
    if (this.plus !== -1 && this.plus < start) this.plus = this.text.indexOf('+', start);
    if (this.plus !== -1 && this.plus < end) return decodeFormPart(this.text.slice(start, end));
    if (this.percent === -1 || this.percent >= end) return this.text.slice(start, end);
    return decodePercents(this.text, start, end, this.percent);
  }
}

/** Reads a form body's members; throws CallbackVerificationError('bad-request'). */
export function parseCallbackBodyForm(text: string): CallbackBodyFields {
  const fields = new CallbackBodyFields({});
  const cursor = new FormCursor(text);
  cursor.equals = text.indexOf('=');
  cursor.percent = text.indexOf('%');
  cursor.plus = text.indexOf('+');
  const length = text.length;
  let start = 0;
  while (start < length) {
    const amp = text.indexOf('&', start);
    const end = amp === -1 ? length : amp;
    if (end > start) {
      const equals = cursor.nextEquals(start);
      addPair(fields, cursor, start, equals === -1 || equals > end ? end : equals, end);
    }
    start = end + 1;
  }
  return fields;
}

/** The pair text[start, end) whose name ends at `split` (= `end` when there is no `=`). */
function addPair(
  fields: CallbackBodyFields,
  cursor: FormCursor,
  start: number,
  split: number,
  end: number,
): void {
  const name = cursor.readPart(start, split);
  const value = split === end ? '' : cursor.readPart(split + 1, end);
  // A known member's slot tells whether it came before; any other name is looked up in raw.
  const key = setCallbackBodyField(fields, name, value);
  if (key === null || (key === undefined && Object.hasOwn(fields.raw, name)))
    badRequest(`The callback body repeats the parameter "${name}".`);
  defineMember(fields.raw, key ?? name, value);
}

function malformedPercent(): never {
  return badRequest('The callback body has a malformed percent-encoding.');
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  const lower = code | 0x20; // A-F → a-f
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/** decodeURIComponent(part with `+` as space). */
function decodeFormPart(part: string): string {
  const spaced = part.replaceAll('+', ' ');
  return decodePercents(spaced, 0, spaced.length, spaced.indexOf('%'));
}

/**
 * decodeURIComponent of text[start, end), whose first `%` is at `at` (or -1). Escapes of ASCII bytes
 * (the usual `%2F`, `%3A`, `%20`) are decoded inline — V8's decodeURIComponent costs about a
 * microsecond per call (scenario 4); an escape of a byte ≥ 0x80 hands the whole part to
 * decodeURIComponent, whose UTF-8 rules stay the only ones.
 */
function decodePercents(text: string, start: number, end: number, at: number): string {
  let decoded = '';
  let literalStart = start;
  while (at !== -1 && at < end) {
    const high = at + 2 < end ? hexValue(text.charCodeAt(at + 1)) : -1;
    const low = high < 0 ? -1 : hexValue(text.charCodeAt(at + 2));
    if (low < 0) return malformedPercent();
    if (high >= 8) return decodeUtf8Part(text.slice(start, end));
    decoded += text.slice(literalStart, at) + String.fromCharCode(high * 16 + low);
    literalStart = at + 3;
    at = text.indexOf('%', literalStart);
  }
  return decoded + text.slice(literalStart, end);
}

function decodeUtf8Part(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return malformedPercent();
  }
}
