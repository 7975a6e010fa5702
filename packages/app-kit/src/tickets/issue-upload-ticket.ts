// Issues a ticket: builds it, then records the upload as pending *before* handing it out, so every
// callback that can ever arrive names an upload id the store knows (replay protection, anchors §7.3).
import type { UploadRecordStore } from '../records/upload-record-store.js';
import { buildUploadTicket } from './build-upload-ticket.js';
import type { UploadTicket, UploadTicketOptions } from './upload-ticket.js';

export interface IssueUploadTicketOptions extends UploadTicketOptions {
  readonly store: UploadRecordStore;
}

export async function issueUploadTicket(options: IssueUploadTicketOptions): Promise<UploadTicket> {
  const { ticket, record } = buildUploadTicket(options);
  await options.store.insertPending(record);
  return ticket;
}
