// Test helper: builds multipart/form-data bodies by hand, including malformed ones (threats §C3).
// A part is either a field/file described by name and value, or raw bytes placed between boundaries.

export type FormPart =
  | {
      readonly name: string;
      readonly value: string | Buffer;
      /** Makes it a file part: `; filename="…"` (written verbatim, no escaping). */
      readonly filename?: string;
      readonly contentType?: string;
      /** Extra raw header lines, e.g. 'Content-Transfer-Encoding: binary'. */
      readonly extraHeaders?: readonly string[];
    }
  | { readonly raw: string | Buffer };

export interface MultipartOptions {
  readonly boundary?: string;
  /** Leave out the closing `--boundary--` (a truncated form). */
  readonly omitClosing?: boolean;
}

export interface MultipartBody {
  readonly body: Buffer;
  readonly contentType: string;
  readonly boundary: string;
}

export const defaultBoundary = '----UpcallTestBoundary7MA4YWxkTrZu0gW';

function partBytes(part: FormPart): Buffer {
  if ('raw' in part) return Buffer.isBuffer(part.raw) ? part.raw : Buffer.from(part.raw, 'utf8');
  const filename = part.filename === undefined ? '' : `; filename="${part.filename}"`;
  const lines = [`Content-Disposition: form-data; name="${part.name}"${filename}`];
  if (part.contentType !== undefined) lines.push(`Content-Type: ${part.contentType}`);
  lines.push(...(part.extraHeaders ?? []));
  const value = Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value, 'utf8');
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8'), value]);
}

export function buildMultipartBody(
  parts: readonly FormPart[],
  options: MultipartOptions = {},
): MultipartBody {
  const boundary = options.boundary ?? defaultBoundary;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`, 'utf8'), partBytes(part), Buffer.from('\r\n', 'utf8'));
  }
  if (options.omitClosing !== true) chunks.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}`, boundary };
}

/** Fields in order, then the file part last (the usual browser form shape). */
export function buildFormParts(
  fields: ReadonlyArray<readonly [string, string]>,
  file:
    | { readonly content: string | Buffer; readonly filename?: string; readonly contentType?: string }
    | undefined,
): FormPart[] {
  const parts: FormPart[] = fields.map(([name, value]) => ({ name, value }));
  if (file !== undefined) {
    parts.push({
      name: 'file',
      value: file.content,
      filename: file.filename ?? 'upload.bin',
      ...(file.contentType === undefined ? {} : { contentType: file.contentType }),
    });
  }
  return parts;
}
