// `${filename}` in the `key` field (oss-protocol §3.5): expanded AFTER the policy check, which sees the
// literal template (§4.4). Rule (INFERRED, S3-like; threats §C2.21): the file part's filename reduced to
// its base name — everything up to the last `/` or `\` is dropped, so `../../x` gives `x` and
// `C:\Users\me\a.png` gives `a.png`. When there is no usable base name (no filename, empty, `.`, `..`,
// or a name ending in a separator) the key keeps `${filename}` literally, as §3.5 recommends. The result
// is then validated like any key (leading `/`, length, control characters).
const placeholder = '${filename}';

/** The last path segment of a client-supplied file name, or undefined when there is none worth using. */
export function readFilenameBase(filename: string | undefined): string | undefined {
  if (filename === undefined) return undefined;
  const base = filename.slice(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
  return base === '' || base === '.' || base === '..' ? undefined : base;
}

export function renderPostKey(keyTemplate: string, filename: string | undefined): string {
  if (!keyTemplate.includes(placeholder)) return keyTemplate;
  const base = readFilenameBase(filename);
  return base === undefined ? keyTemplate : keyTemplate.replaceAll(placeholder, base);
}
