// Applies one structural mutation to the form model (see structural-mutation.ts). Pure: returns a new form.
import { fieldPart, type FuzzForm, type FuzzPart } from './fuzz-form.js';
import type { StructuralMutation } from './structural-mutation.js';

const at = <T>(items: readonly T[], pick: number): number => pick % Math.max(items.length, 1);

function replacePart(form: FuzzForm, index: number, part: FuzzPart | undefined): FuzzForm {
  const parts = [...form.parts];
  if (part === undefined) parts.splice(index, 1);
  else parts[index] = part;
  return { ...form, parts };
}

function insertPart(form: FuzzForm, to: number, part: FuzzPart): FuzzForm {
  const parts = [...form.parts];
  parts.splice(to % (parts.length + 1), 0, part);
  return { ...form, parts };
}

/** `name="policy"` → `name="pOlIcY"`: field names are case-insensitive (§3.3), so this must not matter. */
function randomCaseName(line: Buffer, seed: number): Buffer {
  const flip = (name: string): string =>
    [...name].map((ch, i) => ((seed >> (i % 30)) & 1 ? ch.toUpperCase() : ch.toLowerCase())).join('');
  const text = line.toString('latin1');
  return Buffer.from(
    text.replace(/name="([^"]*)"/, (_, name: string) => `name="${flip(name)}"`),
    'latin1',
  );
}

type PartMutation = Extract<
  StructuralMutation,
  { kind: 'rename-case' | 'drop-headers' | 'set-value' | 'edit-value' | 'header-line' }
>;

/** The part after a mutation that rewrites its headers or its value in place. */
function mutatePart(part: FuzzPart, m: PartMutation): FuzzPart {
  switch (m.kind) {
    case 'rename-case':
      return { ...part, headers: part.headers.map((h, k) => (k === 0 ? randomCaseName(h, m.pick) : h)) };
    case 'drop-headers':
      return { ...part, headers: [] };
    case 'set-value':
      return { ...part, value: m.value };
    case 'edit-value': {
      const i = m.at % (part.value.length + 1);
      const value = Buffer.concat([part.value.subarray(0, i), m.replacement, part.value.subarray(i + 1)]);
      return { ...part, value };
    }
    case 'header-line':
      return { ...part, headers: m.replace ? [m.line, ...part.headers.slice(1)] : [...part.headers, m.line] };
  }
}

function junkPart(m: Extract<StructuralMutation, { kind: 'insert-part' }>): FuzzPart {
  const base = fieldPart('junk', m.name, m.value);
  if (!m.file) return base;
  const disposition = `Content-Disposition: form-data; name="${m.name}"; filename="x.bin"`;
  return { ...base, headers: [Buffer.from(disposition, 'utf8')] };
}

export function applyStructural(form: FuzzForm, m: StructuralMutation): FuzzForm {
  switch (m.kind) {
    case 'drop-part':
      return replacePart(form, at(form.parts, m.pick), undefined);
    case 'duplicate-part':
    case 'move-part': {
      const i = at(form.parts, m.pick);
      const part = form.parts[i];
      if (part === undefined) return form;
      return insertPart(m.kind === 'move-part' ? replacePart(form, i, undefined) : form, m.to, part);
    }
    case 'insert-part':
      return insertPart(form, m.to, junkPart(m));
    case 'content-type':
      return { ...form, contentType: m.value };
    case 'no-closing':
      return { ...form, closing: false };
    case 'epilogue':
      return { ...form, epilogue: m.bytes };
    case 'framing':
      return { ...form, framing: m.framing };
    case 'http-header':
      return { ...form, extraHeaders: [...form.extraHeaders, [m.name, m.value]] };
    default: {
      const i = at(form.parts, m.pick);
      const part = form.parts[i];
      return part === undefined ? form : replacePart(form, i, mutatePart(part, m));
    }
  }
}
