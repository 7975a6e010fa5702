// One file's row: name, a progressbar (role + aria-valuenow, as the ARIA pattern asks), bytes and speed,
// the final state with storage's own message, a Cancel button while it runs, and a thumbnail for
// confirmed images (a presigned URL the app server signs after checking the record is the user's).
import type { UploadItem, UploadResult } from '@upcall/client';
import { formatBytes, formatRate } from '../format-bytes.js';
import { describeResult } from './describe-result.js';

export interface UploadRow {
  readonly element: HTMLLIElement;
  /** Renders the item (call it once after creating the row); returns true the first time it is done. */
  update(item: UploadItem): boolean;
}

/** Asked to fill `img.src` for a confirmed upload (it shows up once loaded). */
export type ShowThumbnail = (item: UploadItem, img: HTMLImageElement) => void;

interface RowParts {
  readonly element: HTMLLIElement;
  readonly thumb: HTMLDivElement;
  readonly bar: HTMLDivElement;
  readonly fill: HTMLDivElement;
  readonly bytes: HTMLParagraphElement;
  readonly badge: HTMLSpanElement;
  readonly message: HTMLSpanElement;
  readonly cancel: HTMLButtonElement;
}

function make<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text = '',
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.className = className;
  element.textContent = text;
  return element;
}

function extensionLabel(name: string): string {
  const at = name.lastIndexOf('.');
  return at > 0 && at < name.length - 1 ? name.slice(at + 1, at + 5) : 'file';
}

function buildParts(name: string): RowParts {
  const element = make('li', 'upload-row');
  element.dataset.fileName = name;
  element.tabIndex = -1; // focus lands here when the focused Cancel button goes away
  const thumb = make('div', 'thumb', extensionLabel(name));
  thumb.setAttribute('aria-hidden', 'true');
  const bar = make('div', 'progress');
  bar.setAttribute('role', 'progressbar');
  bar.setAttribute('aria-label', `Upload progress of ${name}`);
  bar.setAttribute('aria-valuemin', '0');
  bar.setAttribute('aria-valuemax', '100');
  const fill = make('div', 'progress-fill');
  bar.append(fill);
  const [bytes, result] = [make('p', 'bytes'), make('p', 'result')];
  const [badge, message] = [make('span', 'badge'), make('span', 'message')];
  result.append(badge, message);
  const info = make('div', 'info');
  info.append(make('p', 'file-name', name), bar, bytes, result);
  const cancel = make('button', 'cancel', 'Cancel');
  cancel.type = 'button';
  cancel.setAttribute('aria-label', `Cancel upload of ${name}`);
  element.append(thumb, info, cancel);
  return { element, thumb, bar, fill, bytes, badge, message, cancel };
}

function percentOf(item: UploadItem): number {
  const { loaded, total } = item.progress;
  if (total <= 0) return item.result?.status === 'confirmed' ? 100 : 0;
  return Math.min(100, Math.floor((loaded * 100) / total));
}

function renderProgress(parts: RowParts, item: UploadItem): void {
  const percent = percentOf(item);
  const { loaded, total, bytesPerSecond, attempt } = item.progress;
  parts.bar.setAttribute('aria-valuenow', String(percent));
  parts.bar.setAttribute('aria-valuetext', `${percent} %, ${formatBytes(loaded)} of ${formatBytes(total)}`);
  parts.fill.style.width = `${percent}%`;
  const rate = item.state === 'uploading' ? formatRate(bytesPerSecond) : '';
  const retry = attempt > 1 ? ` · attempt ${attempt}` : '';
  parts.bytes.textContent = `${formatBytes(loaded)} of ${formatBytes(total)}${rate === '' ? '' : ` · ${rate}`}${retry}`;
}

function renderStatus(parts: RowParts, status: string, message: string): void {
  parts.element.dataset.status = status;
  parts.badge.className = `badge badge-${status}`;
  parts.badge.textContent = status;
  parts.message.textContent = message;
}

function finish(parts: RowParts, item: UploadItem, result: UploadResult, show: ShowThumbnail): void {
  if (document.activeElement === parts.cancel) parts.element.focus();
  parts.cancel.remove();
  if (result.status !== 'confirmed') return;
  const img = document.createElement('img');
  img.alt = `Thumbnail of ${item.file.name ?? 'the upload'}`;
  img.addEventListener('load', () => parts.thumb.replaceChildren(img), { once: true });
  show(item, img);
}

export function createUploadRow(item: UploadItem, showThumbnail: ShowThumbnail): UploadRow {
  const parts = buildParts(item.file.name ?? 'blob');
  parts.cancel.addEventListener('click', () => item.abort());
  let finished = false;
  const row: UploadRow = {
    element: parts.element,
    update(current) {
      renderProgress(parts, current);
      const result = current.result;
      if (result === undefined) {
        renderStatus(parts, current.state, '');
        return false;
      }
      const described = describeResult(result);
      renderStatus(parts, described.status, described.message);
      if (finished) return false;
      finished = true;
      finish(parts, current, result, showThumbnail);
      return true;
    },
  };
  return row;
}
