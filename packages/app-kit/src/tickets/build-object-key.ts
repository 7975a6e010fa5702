// Default object keys: one folder per user and a random name that keeps the file's extension.
// `${filename}` (oss-protocol §3.5) cannot do this safely: the policy checks the pre-expansion value (§4.4),
// so any name the browser sends — `../x`, a 2 KB name, an existing object's name — would be signed blindly.
// Instead the ticket takes the intended filename from the request, keeps only a short alphanumeric
// extension, and signs an exact key `<prefix><random>.<ext>` (threats §C2.21).

/** Characters kept verbatim in the per-user folder name; everything else is percent-encoded. */
const userSegmentSafe = /[A-Za-z0-9_-]/;
const extensionPattern = /^[a-z0-9]{1,16}$/;

/**
 * Encodes a user id as one URL-safe key segment. Injective (so two users never share a folder): every byte
 * outside `[A-Za-z0-9_-]`, including `.`, `/` and `%` itself, becomes `%XX` of its UTF-8 encoding — so
 * `..` becomes `%2E%2E` and can never form a `..` segment.
 */
export function encodeUserSegment(userId: string): string {
  let out = '';
  for (const char of userId) {
    if (userSegmentSafe.test(char)) {
      out += char;
      continue;
    }
    for (const byte of Buffer.from(char, 'utf8'))
      out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The default per-user prefix: `uploads/<encoded user id>/` (never one global folder — anchors §1b). */
export function buildUserKeyPrefix(userId: string, root = 'uploads/'): string {
  return `${root}${encodeUserSegment(userId)}/`;
}

/**
 * The extension to keep from an intended filename: the part after the last `.` of the basename, lower-cased,
 * only when it is 1–16 ASCII letters or digits. Anything else (no dot, quotes, control characters, a
 * trailing dot) yields `undefined` and the key simply has no extension.
 */
export function extractFileExtension(filename: string | undefined): string | undefined {
  if (filename === undefined) return undefined;
  const basename = filename.slice(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
  const dot = basename.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const extension = basename.slice(dot + 1).toLowerCase();
  return extensionPattern.test(extension) ? extension : undefined;
}

/** `<prefix><32 hex random chars>[.<ext>]`; the randomness is a parameter so tests are deterministic. */
export function buildRandomObjectKey(
  prefix: string,
  random: Uint8Array,
  extension: string | undefined,
): string {
  const name = Buffer.from(random).toString('hex');
  return extension === undefined ? `${prefix}${name}` : `${prefix}${name}.${extension}`;
}
