// Builds the PostObject form (oss-protocol §3): the ticket's fields in order, the fields the client
// itself must add, then `file` last — OSS stops reading at the file part (§3.2) and `key` must come
// before it. The file part carries the filename (for `${filename}`, §3.5) and the Blob's own type, which
// the browser writes as the part's Content-Type (second in OSS's Content-Type precedence, §3.6).
import { findTicketField, type ParsedTicket } from './ticket.js';

export interface UploadFormFile {
  readonly file: Blob;
  readonly fileName: string;
  readonly contentType: string;
}

export interface UploadForm {
  readonly body: FormData;
  /** The object key the form asks for (before `${filename}` expansion), when known. */
  readonly key: string | undefined;
}

/** Fields the client adds: `key` for prefix tickets, `Content-Type` when the policy constrains it. */
function buildClientFields(ticket: ParsedTicket, upload: UploadFormFile): Array<[string, string]> {
  const added: Array<[string, string]> = [];
  if (findTicketField(ticket, 'key') === undefined && ticket.keyPrefix !== undefined) {
    added.push(['key', ticket.keyPrefix + upload.fileName]);
  }
  // An `in $content-type` condition is checked against the Content-Type *form field* and fails when the
  // field is absent (§3.6, §4.4), so a ticket that lists allowed types needs the field sent.
  if (findTicketField(ticket, 'Content-Type') === undefined && ticket.allowedContentTypes !== undefined) {
    added.push(['Content-Type', upload.contentType]);
  }
  return added;
}

/**
 * The multipart body to POST to `ticket.host`. `key` goes first when the client adds it, so that a
 * proxy or server that truncates early still sees it; the other client fields follow the ticket's.
 */
export function buildUploadForm(ticket: ParsedTicket, upload: UploadFormFile): UploadForm {
  const body = new FormData();
  const added = buildClientFields(ticket, upload);
  const addedKey = added.find(([name]) => name === 'key');
  if (addedKey) body.append(addedKey[0], addedKey[1]);
  for (const [name, value] of ticket.fields) body.append(name, value);
  for (const [name, value] of added) if (name !== 'key') body.append(name, value);
  body.append('file', withType(upload.file, upload.contentType), upload.fileName);
  return { body, key: findTicketField(ticket, 'key') ?? addedKey?.[1] };
}

/** A Blob whose type is the upload's content type (a File from a picker may have an empty type). */
function withType(file: Blob, contentType: string): Blob {
  return file.type === contentType ? file : file.slice(0, file.size, contentType);
}
