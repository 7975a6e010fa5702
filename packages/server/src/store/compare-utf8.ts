// OSS lists keys in UTF-8 byte order. JavaScript's `<` compares UTF-16 code units, which disagrees for
// characters above U+FFFF against U+E000–U+FFFF (a surrogate 0xD83D sorts before 0xFF01, but the UTF-8
// bytes F0… sort after EF…). SQLite's BINARY collation is already byte order; this is for the memory store.

/** Negative, zero or positive as `a` sorts before, equal to or after `b` in UTF-8 byte order. */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
