// Random structural mutations of a signed PostObject form (threats §B4, §C1–§C3): drop, duplicate,
// reorder, rename and re-head parts, replace or edit values, insert junk parts, change the boundary, the
// framing and the request headers. The values and header lines come from the multipart CVEs of §B4/§C3.30.
import fc from 'fast-check';
import type { Framing } from './fuzz-form.js';

const mib = 1024 * 1024;

/** Replacement values: empty, tiny, random, base64-looking, and sizes around the server's limits. */
const valueBytes: fc.Arbitrary<Buffer> = fc.oneof(
  { arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)), weight: 6 },
  {
    arbitrary: fc
      .constantFrom('', '=', 'AAAA', 'e30=', '${filename}', 'fuzz/', '201')
      .map((t) => Buffer.from(t)),
    weight: 3,
  },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map((t) => Buffer.from(t, 'utf8')), weight: 3 },
  { arbitrary: fc.constantFrom(300, 8 * 1024, 70 * 1024).map((n) => Buffer.alloc(n, 0x41)), weight: 1 },
  { arbitrary: fc.constant(2 * mib + 1).map((n) => Buffer.alloc(n, 0x42)), weight: 1 },
);

/** Part header lines from the multipart CVEs of threats §B4 / §C3.30, plus raw random bytes. */
const headerLine: fc.Arbitrary<Buffer> = fc.oneof(
  { arbitrary: fc.uint8Array({ maxLength: 48 }).map((b) => Buffer.from(b)), weight: 2 },
  {
    // Part charsets: busboy decodes a few itself and hands over anything else as `undefined`.
    arbitrary: fc
      .constantFrom('utf-8', 'latin1', 'utf-16le', 'base64', 'iso-8859-2', 'shift_jis', 'x-unknown', '')
      .map((charset) => Buffer.from(`Content-Type: text/plain; charset=${charset}`)),
    weight: 2,
  },
  {
    arbitrary: fc
      .constantFrom(
        ' folded: continuation',
        '\tContent-Disposition: form-data; name="key"',
        'NoColonAtAll',
        'Content-Disposition: form-data; name=""',
        'Content-Disposition: form-data',
        'Content-Disposition: form-data; name="__proto__"',
        'Content-Disposition: form-data; name="constructor"',
        "Content-Disposition: form-data; name*=UTF-8''k%C3%A9y",
        'Content-Disposition: form-data; name="file"; filename*=UTF-8\'\'a%2Fb.txt',
        'Content-Disposition: form-data; name="file"; filename="../../evil"',
        'Content-Disposition: attachment; name="key"',
        'Content-Disposition: form-data; name="a[b][c][d]"',
        'Content-Type: application/octet-stream',
        'Content-Transfer-Encoding: base64',
      )
      .map((t) => Buffer.from(t, 'utf8')),
    weight: 3,
  },
  { arbitrary: fc.nat({ max: 20_000 }).map((n) => Buffer.from(`X-Long: ${'x'.repeat(n)}`)), weight: 1 },
);

const fieldName = fc.oneof(
  fc.constantFrom('key', 'policy', 'Signature', 'OSSAccessKeyId', 'file', 'x:tag', 'success_action_status'),
  fc.constantFrom('Content-Type', 'x-oss-object-acl', 'x-oss-meta-a', '', '__proto__', 'x-oss-signature'),
  fc.string({ unit: 'binary', maxLength: 12 }).filter((n) => n.toLowerCase() !== 'callback'),
);

export type StructuralMutation =
  | { readonly kind: 'drop-part'; readonly pick: number }
  | { readonly kind: 'rename-case' | 'drop-headers'; readonly pick: number }
  | { readonly kind: 'duplicate-part' | 'move-part'; readonly pick: number; readonly to: number }
  | { readonly kind: 'set-value'; readonly pick: number; readonly value: Buffer }
  | { readonly kind: 'edit-value'; readonly pick: number; readonly at: number; readonly replacement: Buffer }
  | { readonly kind: 'header-line'; readonly pick: number; readonly line: Buffer; readonly replace: boolean }
  | {
      readonly kind: 'insert-part';
      readonly to: number;
      readonly name: string;
      readonly value: Buffer;
      readonly file: boolean;
    }
  | { readonly kind: 'content-type'; readonly value: string }
  | { readonly kind: 'no-closing' }
  | { readonly kind: 'epilogue'; readonly bytes: Buffer }
  | { readonly kind: 'framing'; readonly framing: Framing }
  | { readonly kind: 'http-header'; readonly name: string; readonly value: string };

export const structuralMutation: fc.Arbitrary<StructuralMutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop-part' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constantFrom('rename-case' as const, 'drop-headers' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constantFrom('duplicate-part' as const, 'move-part' as const),
    pick: fc.nat(),
    to: fc.nat(),
  }),
  fc.record({ kind: fc.constant('set-value' as const), pick: fc.nat(), value: valueBytes }),
  fc.record({
    kind: fc.constant('edit-value' as const),
    pick: fc.nat(),
    at: fc.nat(),
    replacement: fc.uint8Array({ maxLength: 3 }).map((b) => Buffer.from(b)),
  }),
  // Part-header tricks are where the multipart CVEs live (threats §B4, §C3.30): drawn three times as often.
  {
    arbitrary: fc.record({
      kind: fc.constant('header-line' as const),
      pick: fc.nat(),
      line: headerLine,
      replace: fc.boolean(),
    }),
    weight: 3,
  },
  fc.record({
    kind: fc.constant('insert-part' as const),
    to: fc.nat(),
    name: fieldName,
    value: valueBytes,
    file: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('content-type' as const),
    value: fc.oneof(
      fc.constantFrom(
        'multipart/form-data',
        'text/plain',
        'multipart/form-data; boundary=',
        'MULTIPART/FORM-DATA; BOUNDARY=x',
      ),
      fc.constantFrom(
        `multipart/form-data; boundary=${'b'.repeat(71)}`,
        'multipart/form-data; boundary="quoted"',
      ),
      fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((t) => `multipart/form-data; boundary=${t}`),
    ),
  }),
  fc.record({ kind: fc.constant('no-closing' as const) }),
  fc.record({
    kind: fc.constant('epilogue' as const),
    bytes: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
  }),
  fc.record({
    kind: fc.constant('framing' as const),
    framing: fc.constantFrom<Framing>('chunked', 'short-then-fin'),
  }),
  fc.record({
    kind: fc.constant('http-header' as const),
    name: fc.constantFrom('Content-MD5', 'Authorization', 'x-oss-object-acl', 'Transfer-Encoding', 'Expect'),
    value: fc.constantFrom(
      '1B2M2Y8AsgTpgAmY7PhCfg==',
      'not-md5',
      'OSS a:b',
      'public-read',
      'chunked',
      '100-continue',
    ),
  }),
);

/** Structural mutations after which the built part structure (which part is the file) still holds. */
export const structurePreservingKinds: ReadonlySet<StructuralMutation['kind']> = new Set([
  'drop-part',
  'rename-case',
  'drop-headers',
  'set-value',
  'edit-value',
  'content-type',
  'no-closing',
  'epilogue',
  'framing',
  'http-header',
]);
