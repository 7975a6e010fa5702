// Per-part rules of a PostObject form, checked as busboy reports each part (oss-protocol §3.2, §3.3,
// §3.7; threats §B4, §C2.18, §C3.30–32). Each throws the OssError OSS would answer with.
import { OssError } from '@upcall/protocol';
import { postFormFields } from './post-form-fields.js';
import type { PostFormLimits } from './post-form-limits.js';

const missingKeyMessage =
  "The bucket POST must contain the specified 'key'. If it is specified, please check the order of the fields";

/** A part's field name, lower-cased (§3.3). Empty or missing names are malformed (multer CVE-2025-48997). */
export function checkFieldName(name: string | undefined, limits: PostFormLimits): string {
  if (name === undefined || name === '') {
    throw new OssError('MalformedPOSTRequest', { message: 'A form part has no field name.' });
  }
  if (Buffer.byteLength(name, 'utf8') > limits.maxFieldNameBytes) {
    throw new OssError('FieldItemTooLong', {
      message: `A form field name is longer than ${limits.maxFieldNameBytes} bytes.`,
    });
  }
  return name.toLowerCase();
}

/** A non-file part before the file: size-checked, not `file`, not a duplicate. Returns its lower-case name. */
export function checkFieldPart(
  fields: ReadonlyMap<string, string>,
  name: string | undefined,
  valueTruncated: boolean,
  limits: PostFormLimits,
): string {
  const lower = checkFieldName(name, limits);
  if (valueTruncated) {
    throw new OssError('FieldItemTooLong', {
      message: `The value of form field ${lower} is longer than ${limits.maxFieldValueBytes} bytes.`,
    });
  }
  if (lower === postFormFields.file) {
    throw new OssError('IncorrectNumberOfFilesInPOSTRequest', {
      message: "The form field 'file' must be a file part (with a filename).",
    });
  }
  // Never "validate the first, store the last" (threats §C2.18; MinIO: multiple values refused).
  if (fields.has(lower)) {
    throw new OssError('InvalidArgument', {
      message: `The form field ${lower} is specified more than once.`,
      extra: [['ArgumentName', lower]],
    });
  }
  return lower;
}

/** The first file part: it must be `file` and `key` must already have arrived (§3.2, D10). */
export function checkFilePart(
  fields: ReadonlyMap<string, string>,
  name: string | undefined,
  limits: PostFormLimits,
): void {
  if (checkFieldName(name, limits) !== postFormFields.file) {
    throw new OssError('IncorrectNumberOfFilesInPOSTRequest', {
      message: "POST requires exactly one file upload per request, in the form field 'file'.",
    });
  }
  if (!fields.has(postFormFields.key)) {
    throw new OssError('InvalidArgument', { message: missingKeyMessage, extra: [['ArgumentName', 'key']] });
  }
}
