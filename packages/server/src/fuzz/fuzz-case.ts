// One fuzz input for the PostObject front door: the valid signed form to start from (version, fields,
// file, boundary, optional pinned callback) and the mutations to apply to it (threats §B4, §C1–§C3).
import fc from 'fast-check';
import { applyStructural } from './apply-structural-mutation.js';
import { buildSentBody, byteEdit, type ByteEdit } from './build-sent-body.js';
import { buildBaseForm, fuzzKeyPrefix, type FuzzForm } from './fuzz-form.js';
import {
  structuralMutation,
  structurePreservingKinds,
  type StructuralMutation,
} from './structural-mutation.js';

const extraField = fc.constantFrom<readonly [string, string]>(
  ['Content-Type', 'image/png'],
  ['x-oss-meta-a', 'one'],
  ['x:tag', 'v'],
  ['success_action_status', '201'],
  ['success_action_status', '200'],
  ['Cache-Control', 'no-cache'],
  ['x-oss-object-acl', 'public-read'],
);

// RFC 2046 §5.1.1 bchars, 1–70, not ending in a space.
const boundary = fc.oneof(
  fc.constant('----UpcallFuzzBoundary7MA4YWxkTrZu0gW'),
  fc.stringMatching(/^[0-9A-Za-z'()+_,\-./:=?]{1,70}$/),
);

// A name ending in an odd number of `\` is sent raw by browsers (WHATWG) but read by busboy as an escaped
// closing quote, so such a form is refused (IncorrectNumberOfFilesInPOSTRequest): a known limitation
// reported in docs/reliability.md and kept out of the forms that must succeed.
const fileName = fc
  .oneof(fc.constantFrom('a.bin', '', '../../x', 'C:\\u\\p.png', 'é.txt'), fc.string({ maxLength: 20 }))
  .filter((name) => !/(^|[^\\])(\\\\)*\\$/.test(name));

export const fuzzCase = fc.record({
  version: fc.constantFrom('v1' as const, 'v4' as const),
  filenameKey: fc.boolean(),
  extras: fc.uniqueArray(extraField, { maxLength: 3, selector: ([name]) => name.toLowerCase() }),
  fileName,
  fileType: fc.option(fc.constantFrom('application/octet-stream', 'image/png', 'text/html'), {
    nil: undefined,
  }),
  content: fc.uint8Array({ maxLength: 2000 }),
  boundary,
  callback: fc.boolean(),
  structural: fc.oneof(
    { arbitrary: fc.constant<StructuralMutation[]>([]), weight: 1 },
    { arbitrary: fc.array(structuralMutation, { minLength: 1, maxLength: 3 }), weight: 8 },
  ),
  bytes: fc.oneof(
    { arbitrary: fc.constant<ByteEdit[]>([]), weight: 3 },
    { arbitrary: fc.array(byteEdit, { minLength: 1, maxLength: 2 }), weight: 2 },
  ),
});

export type FuzzCase = typeof fuzzCase extends fc.Arbitrary<infer T> ? T : never;

export interface FuzzRequest {
  readonly form: FuzzForm;
  /** The body as sent (before any chunked transfer coding). */
  readonly body: Buffer;
  /** The file content of the unmutated form. */
  readonly content: Buffer;
  /** No mutation at all: the upload must succeed. */
  readonly pristine: boolean;
  /** The built part structure still holds, so the parts before the file are known. */
  readonly structureKnown: boolean;
  /** A byte edit landed on a signed value before the file. */
  readonly touchedAuth: boolean;
}

/** Builds request number `serial` (its key and content are unique) with `callbackParam` if asked for. */
export function buildFuzzRequest(c: FuzzCase, serial: number, callbackParam: string): FuzzRequest {
  const key = `${fuzzKeyPrefix}${serial}${c.filenameKey ? '/${filename}' : ''}`;
  const content = Buffer.concat([Buffer.from(`#${serial}#`), c.content]);
  // Browsers send an empty file input as filename="" with application/octet-stream; without that type
  // busboy reports the part as a plain field (IncorrectNumberOfFilesInPOSTRequest, docs §3.2 notes).
  const fileType = c.fileName === '' ? 'application/octet-stream' : c.fileType;
  const callback = c.callback ? callbackParam : undefined;
  const base = buildBaseForm({ ...c, fileType, key, extraFields: c.extras, content, callback });
  const form = c.structural.reduce(applyStructural, base);
  const { body, touchedAuth } = buildSentBody(form, c.bytes);
  return {
    form,
    body,
    content,
    pristine: c.structural.length === 0 && c.bytes.length === 0,
    structureKnown: c.structural.every((m) => structurePreservingKinds.has(m.kind)),
    touchedAuth,
  };
}
