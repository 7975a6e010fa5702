// The demo page's script, bundled with @upcall/client at app start (page/bundle-page-script.ts). It holds
// no upload logic of its own: the client's queue uploads (tickets from POST /api/tickets, XHR with
// progress, retries, abort) and this file only renders items, results, thumbnails and records.
import { createUploadQueue, fetchTicketSource, type UploadItem } from '@upcall/client';
import { thumbnailContentTypes } from '../demo-limits.js';
import { describeResult } from './describe-result.js';
import { wireDropZone } from './drop-zone.js';
import {
  attachPauseButton,
  listUnfinishedUploads,
  startLargeUpload,
  type LargeItem,
} from './large-upload.js';
import { fetchRecords, renderRecords } from './records-table.js';
import { createUploadRow, type UploadRow } from './upload-row.js';

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`The page has no #${id}`);
  return element as T;
}

const list = byId<HTMLUListElement>('upload-list');
const empty = byId<HTMLParagraphElement>('queue-empty');
const announcer = byId<HTMLDivElement>('announcer');
const recordsBody = byId<HTMLTableSectionElement>('records-body');
const reconcileResult = byId<HTMLSpanElement>('reconcile-result');
const rows = new Map<string, UploadRow>();

let refreshTimer: ReturnType<typeof setTimeout> | undefined;
function refreshRecordsSoon(): void {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => void refreshRecords(), 150);
}

async function refreshRecords(): Promise<void> {
  try {
    renderRecords(recordsBody, await fetchRecords());
  } catch (error) {
    reconcileResult.textContent = `Could not load records: ${String(error)}`;
  }
}

async function showThumbnail(item: UploadItem, img: HTMLImageElement): Promise<void> {
  const uploadId = item.result?.uploadId;
  if (uploadId === undefined || !thumbnailContentTypes.includes(item.file.type)) return;
  const response = await fetch(`/api/thumbnail-url?id=${encodeURIComponent(uploadId)}`);
  if (!response.ok) return;
  const { url } = (await response.json()) as { url: string };
  img.src = url;
}

function onItemChange(item: UploadItem): void {
  let row = rows.get(item.id);
  if (row === undefined) {
    row = createUploadRow(item, (done, img) => void showThumbnail(done, img));
    rows.set(item.id, row);
    list.append(row.element);
    empty.hidden = true;
    if ('upload' in item) attachPauseButton(row.element, item as LargeItem);
  }
  if (row.update(item) && item.result !== undefined) {
    const { status, message } = describeResult(item.result);
    announcer.textContent = `${item.file.name ?? 'File'}: ${status}. ${message}`;
    refreshRecordsSoon();
  }
}

async function reconcile(button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  reconcileResult.textContent = 'Reconciling…';
  try {
    const response = await fetch('/api/reconcile', { method: 'POST' });
    const summary = (await response.json()) as Record<string, unknown>;
    reconcileResult.textContent = response.ok
      ? `Checked ${String(summary.checked)} open record(s): ${String(summary.markedStoredUnconfirmed)} marked stored-unconfirmed, ${String(summary.expired)} expired.`
      : `Reconcile failed: ${String(summary.message ?? summary.error)}`;
  } catch (error) {
    reconcileResult.textContent = `Reconcile failed: ${String(error)}`;
  } finally {
    button.disabled = false;
    await refreshRecords();
  }
}

const queue = createUploadQueue({
  ticketSource: fetchTicketSource('/api/tickets'),
  concurrency: 3,
  onItemChange,
});
const dropZone = byId('drop-zone');
const thresholdBytes = Number(dropZone.dataset.multipartThresholdBytes ?? 'Infinity');
let largeCount = 0;

/** Small files go to the queue (one form POST each); large ones up in presigned parts. */
function addFiles(files: File[]): void {
  queue.add(files.filter((file) => file.size <= thresholdBytes));
  for (const file of files.filter((f) => f.size > thresholdBytes)) {
    largeCount += 1;
    const item = startLargeUpload(file, `large-${largeCount}`, onItemChange);
    onItemChange(item);
  }
}

function showResumeHint(): void {
  const names = listUnfinishedUploads();
  const hint = byId<HTMLParagraphElement>('resume-hint');
  hint.hidden = names.length === 0;
  hint.textContent = `Unfinished: ${names.join(', ')} — pick the same file again to resume.`;
}

wireDropZone(dropZone, byId<HTMLInputElement>('file-input'), addFiles);
showResumeHint();
byId<HTMLButtonElement>('refresh-records').addEventListener('click', () => void refreshRecords());
const reconcileButton = byId<HTMLButtonElement>('reconcile');
reconcileButton.addEventListener('click', () => void reconcile(reconcileButton));
void refreshRecords();
document.documentElement.dataset.ready = 'true';
