// Fuzzing model of a PostObject request (oss-protocol §3; threats §B4, §C3): a signed multipart form as a
// list of parts whose header lines and value bytes can be mutated one by one, plus the HTTP framing. Only
// the parts before the file count (§3.2: later parts are ignored), so while the part structure is known
// the oracle asks two questions of them: are the signed auth values still there, unchanged
// (checkSignedPrefix), and did a byte edit land on one of them (the serialiser reports where they lie).
import type { PostPolicyConditionInput } from '@upcall/protocol';
import { signPolicyFields } from '../operations/post-object/testing/post-form-client.js';
import {
  fixedNowMs,
  testAccessKeyId,
  testAccessKeySecret,
  testBucket,
} from '../operations/post-object/testing/post-object-test-server.js';

/** `auth`: policy, signature, access key id and the V4 fields — the values the signature binds. */
export type PartRole = 'auth' | 'key' | 'field' | 'file' | 'junk';

export interface FuzzPart {
  readonly role: PartRole;
  /** Header lines without CRLF (Content-Disposition first, as browsers send them). */
  readonly headers: readonly Buffer[];
  readonly value: Buffer;
}

export type Framing = 'content-length' | 'chunked' | 'short-then-fin';

export interface FuzzForm {
  readonly boundary: string;
  /** The Content-Type request header (may disagree with `boundary` after a mutation). */
  readonly contentType: string;
  readonly parts: readonly FuzzPart[];
  readonly closing: boolean;
  /** Bytes after the closing delimiter (epilogue). */
  readonly epilogue: Buffer;
  readonly framing: Framing;
  readonly extraHeaders: ReadonlyArray<readonly [string, string]>;
  /** The exact signed values: a stored object requires all of them, unchanged, before the file. */
  readonly signedValues: readonly string[];
}

/** Every object a valid form may create: under this prefix, at most this many bytes. */
export const fuzzKeyPrefix = 'fuzz/';
export const fuzzMaxFileBytes = 4096;

export function fieldPart(role: PartRole, name: string, value: string | Buffer): FuzzPart {
  return {
    role,
    headers: [Buffer.from(`Content-Disposition: form-data; name="${name}"`, 'utf8')],
    value: Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8'),
  };
}

export interface BaseFormInput {
  readonly version: 'v1' | 'v4';
  readonly key: string;
  readonly extraFields: ReadonlyArray<readonly [string, string]>;
  readonly fileName: string;
  readonly fileType: string | undefined;
  readonly content: Buffer;
  readonly boundary: string;
  /** A `callback` field (base64), pinned by an `eq` condition so that no changed callback can be used. */
  readonly callback?: string | undefined;
}

/** The conditions every fuzz form is signed with: this bucket, the prefix, the size range. */
export const fuzzConditions: readonly PostPolicyConditionInput[] = [
  { bucket: testBucket },
  ['starts-with', '$key', fuzzKeyPrefix],
  ['content-length-range', 0, fuzzMaxFileBytes],
];

/** How browsers write a file name (WHATWG multipart/form-data encoding): `"`, CR and LF percent-encoded. */
function escapeFileName(name: string): string {
  return name.replaceAll('"', '%22').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** RFC 2045 §5.1: a parameter value with tspecials (`(`, `:`, `=`, `?`…) must be a quoted string. */
function quoteIfNeeded(boundary: string): string {
  return /[()<>@,;:\\"/[\]?=]/.test(boundary) ? `"${boundary}"` : boundary;
}

/** A valid signed form, in the order browsers send it: key, auth fields, extra fields, file last. */
export function buildBaseForm(input: BaseFormInput): FuzzForm {
  const pinned: PostPolicyConditionInput[] =
    input.callback === undefined ? [] : [['eq', '$callback', input.callback]];
  const auth: Array<readonly [string, string]> = signPolicyFields({
    version: input.version,
    accessKeyId: testAccessKeyId,
    secret: testAccessKeySecret,
    nowMs: fixedNowMs,
    conditions: [...fuzzConditions, ...pinned],
  });
  if (input.callback !== undefined) auth.push(['callback', input.callback]);
  const file: FuzzPart = {
    role: 'file',
    headers: [
      Buffer.from(
        `Content-Disposition: form-data; name="file"; filename="${escapeFileName(input.fileName)}"`,
        'utf8',
      ),
      ...(input.fileType === undefined ? [] : [Buffer.from(`Content-Type: ${input.fileType}`, 'utf8')]),
    ],
    value: input.content,
  };
  return {
    boundary: input.boundary,
    contentType: `multipart/form-data; boundary=${quoteIfNeeded(input.boundary)}`,
    parts: [
      fieldPart('key', 'key', input.key),
      ...auth.map(([name, value]) => fieldPart('auth', name, value)),
      ...input.extraFields.map(([name, value]) => fieldPart('field', name, value)),
      file,
    ],
    closing: true,
    epilogue: Buffer.alloc(0),
    framing: 'content-length',
    extraHeaders: [],
    signedValues: auth.map(([, value]) => value),
  };
}

/**
 * The parts before the `file` part: the only ones PostObject reads (§3.2). Exact while the part structure
 * is the built one (no inserted, duplicated, moved or re-headed parts); the oracle only relies on it then.
 */
export function partsBeforeFile(form: FuzzForm): readonly FuzzPart[] {
  const file = form.parts.findIndex((part) => part.role === 'file');
  return file === -1 ? form.parts : form.parts.slice(0, file);
}

export interface SerialisedForm {
  readonly body: Buffer;
  /** [start, end) byte ranges of the auth values before the file inside `body`. */
  readonly authRanges: ReadonlyArray<readonly [number, number]>;
}

export function serialiseForm(form: FuzzForm): SerialisedForm {
  const chunks: Buffer[] = [];
  const authRanges: Array<readonly [number, number]> = [];
  let length = 0;
  const push = (chunk: Buffer): void => {
    chunks.push(chunk);
    length += chunk.length;
  };
  const crlf = Buffer.from('\r\n');
  const read = new Set(partsBeforeFile(form));
  for (const part of form.parts) {
    push(Buffer.from(`--${form.boundary}\r\n`, 'utf8'));
    for (const line of part.headers) push(Buffer.concat([line, crlf]));
    push(crlf);
    if (part.role === 'auth' && read.has(part)) authRanges.push([length, length + part.value.length]);
    push(part.value);
    push(crlf);
  }
  if (form.closing) push(Buffer.from(`--${form.boundary}--\r\n`, 'utf8'));
  push(form.epilogue);
  return { body: Buffer.concat(chunks), authRanges };
}

/**
 * Whether the parts before the file still carry every signed value, each unchanged: no auth part dropped,
 * emptied, edited or replaced, none of them moved behind the file.
 */
export function checkSignedPrefix(form: FuzzForm): boolean {
  const values = partsBeforeFile(form)
    .filter((part) => part.role === 'auth')
    .map((part) => part.value.toString('utf8'));
  return (
    values.every((value) => form.signedValues.includes(value)) &&
    form.signedValues.every((value) => values.includes(value))
  );
}

/** Whether every signed value still occurs, byte for byte, in what was sent. */
export function carriesSignedValues(form: FuzzForm, sent: Buffer): boolean {
  return form.signedValues.every((value) => sent.includes(Buffer.from(value, 'utf8')));
}
