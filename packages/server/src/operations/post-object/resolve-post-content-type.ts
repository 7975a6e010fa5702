// The stored object's Content-Type (oss-protocol §3.6): `x-oss-content-type` field > the file part's
// Content-Type > the `Content-Type` field > a guess from the key's extension > fallback.
// busboy cannot tell an absent part Content-Type from an explicit `text/plain` (RFC 7578 §4.4 makes
// text/plain the default and busboy reports it either way), so a `text/plain` part is treated as
// "unspecified": the field and the extension guess are consulted first, and text/plain is the fallback.
// Browsers send a specific type for every file they recognise, so this only changes the outcome for
// clients that omit the part header (e.g. Python requests) — exactly the case §3.6's lower ranks are for.
import { lookup } from 'mime-types';
import { postFormFields } from './post-form-fields.js';

const rfc7578DefaultType = 'text/plain';

export function resolvePostContentType(
  fields: ReadonlyMap<string, string>,
  partContentType: string,
  key: string,
): string {
  const ossContentType = fields.get(postFormFields.ossContentType);
  if (ossContentType !== undefined && ossContentType !== '') return ossContentType;
  if (partContentType !== '' && partContentType !== rfc7578DefaultType) return partContentType;
  const field = fields.get(postFormFields.contentType);
  if (field !== undefined && field !== '') return field;
  const guessed = lookup(key);
  return guessed === false ? rfc7578DefaultType : guessed;
}
