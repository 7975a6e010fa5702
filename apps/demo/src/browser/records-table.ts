// The records table: GET /api/uploads rendered with textContent only (file names and keys are user input).
import { formatBytes } from '../format-bytes.js';

export interface UploadRecordJson {
  readonly id: string;
  readonly key: string;
  readonly status: string;
  readonly size: number | null;
  readonly etag: string | null;
  readonly mimeType: string | null;
  readonly fileName: string | null;
  readonly createdAt: string;
  readonly confirmedAt: string | null;
}

function cell(text: string, className = ''): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  if (className !== '') td.className = className;
  return td;
}

function formatTime(iso: string | null): string {
  if (iso === null) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString();
}

function buildRow(record: UploadRecordJson): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.dataset.recordId = record.id;
  tr.dataset.status = record.status;
  const status = cell('');
  const badge = document.createElement('span');
  badge.className = `badge badge-${record.status}`;
  badge.textContent = record.status;
  status.append(badge);
  tr.append(
    cell(record.fileName ?? '—'),
    status,
    cell(record.size === null ? '—' : formatBytes(record.size), 'nowrap'),
    cell(record.mimeType ?? '—'),
    cell(record.etag ?? '—', 'etag'),
    cell(record.key, 'key'),
    cell(formatTime(record.createdAt), 'nowrap'),
    cell(formatTime(record.confirmedAt), 'nowrap'),
  );
  return tr;
}

export function renderRecords(body: HTMLTableSectionElement, records: readonly UploadRecordJson[]): void {
  if (records.length === 0) {
    const tr = document.createElement('tr');
    const td = cell('No records yet: upload a file above.', 'muted');
    td.colSpan = 8;
    tr.append(td);
    body.replaceChildren(tr);
    return;
  }
  body.replaceChildren(...records.map(buildRow));
}

export async function fetchRecords(): Promise<UploadRecordJson[]> {
  const response = await fetch('/api/uploads', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`GET /api/uploads answered ${response.status}`);
  return (await response.json()) as UploadRecordJson[];
}
