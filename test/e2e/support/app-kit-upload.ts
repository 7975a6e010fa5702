// Posts a ticket's form to the storage server exactly as docs/app-kit.md's browser snippet does: every
// ticket field in ticket order, the Content-Type field when the ticket restricts types but does not fix
// one, then the file last (oss-protocol §3.2), as multipart/form-data built by fetch's own FormData.
import { createHash } from 'node:crypto';
import type { UploadTicket } from '@upcall/app-kit';

export interface UploadFile {
  readonly name: string;
  readonly type: string;
  readonly bytes: Buffer;
}

export interface UploadAnswer {
  readonly status: number;
  readonly contentType: string | null;
  readonly text: string;
  readonly elapsedMs: number;
}

export async function postTicketForm(ticket: UploadTicket, file: UploadFile): Promise<UploadAnswer> {
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.fields)) form.append(name, value);
  if (ticket.allowedContentTypes !== undefined && !('Content-Type' in ticket.fields)) {
    form.append('Content-Type', file.type);
  }
  form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  const startedMs = performance.now();
  const response = await fetch(ticket.host, { method: 'POST', body: form });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text,
    elapsedMs: performance.now() - startedMs,
  };
}

/** OSS's ETag of a simple upload: the MD5 in upper-case hex, as the callback's `${etag}` carries it. */
export function md5Etag(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('hex').toUpperCase();
}

/** `<Code>` of an OSS error document. */
export function readErrorCode(xml: string): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(xml)?.[1];
}
