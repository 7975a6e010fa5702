// `$` marks variables in POST policies; a literal `$` in a condition value is written `\$` (JSON text
// `"\\$"`) [oss-protocol §4.4, D1 escape table, J1 `user/eric/\\${filename}`]. Only `\$` is an escape:
// any other backslash is kept as it is (INFERRED, docs/protocol-decisions.md).

/** Undoes the `\$` escape: the value a form field is compared with. */
export function unescapePolicyValue(value: string): string {
  if (!value.includes('\\')) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value.charAt(i);
    if (ch === '\\' && value.charAt(i + 1) === '$') {
      out += '$';
      i++;
    } else {
      out += ch;
    }
  }
  return out;
}

/** Escapes every `$` as `\$`, so that a toolkit can pin a literal such as `user/${filename}`. */
export function escapePolicyValue(value: string): string {
  return value.replaceAll('$', '\\$');
}
